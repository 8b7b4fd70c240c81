{{%AUTOESCAPE context="HTML"}}
<!DOCTYPE html>
<html lang="ja">
<head>
{{>HEAD}}
<title>パスワード初期化 | KOSMO Communication Web</title>
</head>
<body>
{{>BANNER}}
<main id="main">
<h1>パスワード初期化</h1>
<p class="error" role="alert">パスワードを初期化できませんでした。パスワードは変更されていません。</p>
{{#ALREADY_USED}}<p>この画面からのパスワード初期化は既に行われています。登録済みのメールアドレスに届いた仮パスワードでログインしてください。</p>{{/ALREADY_USED}}
{{#EXPIRED}}<p>ログインID再通知画面の有効期限（{{#GRANT_TTL_IN_HOURS}}{{GRANT_TTL_HOURS}}時間{{/GRANT_TTL_IN_HOURS}}{{#GRANT_TTL_IN_MINUTES}}{{GRANT_TTL_MINUTES}}分{{/GRANT_TTL_IN_MINUTES}}）が過ぎました。お手数ですが、本人確認情報入力画面からもう一度お手続きください。</p>{{/EXPIRED}}
{{#NO_GRANT}}<p>パスワード初期化は、ログインID再通知メールのURLから表示したログインID再通知画面でのみ行えます。本人確認情報入力画面からお手続きください。</p>{{/NO_GRANT}}
{{#NOT_POSSIBLE}}<p>ご登録の情報ではパスワードを初期化できません。ご加入の健康保険組合へお問い合わせください。</p>{{/NOT_POSSIBLE}}
<ul class="links">
<li><a href="/forgot-id">本人確認情報入力画面へ</a></li>
<li><a href="/login">ログイン画面へ</a></li>
</ul>
</main>
{{>FOOT}}
</body>
</html>
