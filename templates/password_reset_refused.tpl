{{%AUTOESCAPE context="HTML"}}
<!DOCTYPE html>
<html lang="ja">
<head>
{{>HEAD}}
<title>{{#ALREADY_USED}}パスワード初期化済み{{/ALREADY_USED}}{{#NOT_DONE}}パスワード初期化できません{{/NOT_DONE}} | {{SITE_TITLE}}</title>
</head>
<body>
{{>BANNER}}
<main id="main">
<h1>{{#ALREADY_USED}}パスワード初期化済み{{/ALREADY_USED}}{{#NOT_DONE}}パスワード初期化できません{{/NOT_DONE}}</h1>
{{#ALREADY_USED}}<p class="notice" role="status">パスワードの初期化は既に行われています。もう一度初期化する必要はありません。</p>
<p>仮パスワードを記載したメールを、登録済みのメールアドレスにお送りしました。届いた仮パスワードでログインしてください。メールが届かない場合は、迷惑メールフォルダもご確認ください。</p>{{/ALREADY_USED}}
{{#NOT_DONE}}<p class="error" role="alert">パスワードを初期化できませんでした。パスワードは変更されていません。</p>{{/NOT_DONE}}
{{#EXPIRED}}<p>ログインID再通知画面の有効期限（{{#GRANT_TTL_IN_HOURS}}{{GRANT_TTL_HOURS}}時間{{/GRANT_TTL_IN_HOURS}}{{#GRANT_TTL_IN_MINUTES}}{{GRANT_TTL_MINUTES}}分{{/GRANT_TTL_IN_MINUTES}}）が過ぎました。お手数ですが、本人確認情報入力画面からもう一度お手続きください。</p>{{/EXPIRED}}
{{#NO_GRANT}}<p>パスワード初期化は、ログインID再通知メールのURLから表示したログインID再通知画面でのみ行えます。本人確認情報入力画面からお手続きください。</p>{{/NO_GRANT}}
{{#NOT_POSSIBLE}}<p>ご登録の情報ではパスワードを初期化できません。{{#HAS_CONTACT}}{{#HAS_CONTACT_NAME}}{{CONTACT_NAME}}{{/HAS_CONTACT_NAME}}{{#NO_CONTACT_NAME}}{{SITE_TITLE}}{{/NO_CONTACT_NAME}}{{#HAS_CONTACT_PHONE}}（電話: {{CONTACT_PHONE}}）{{/HAS_CONTACT_PHONE}}{{/HAS_CONTACT}}{{#NO_CONTACT}}ご加入の健康保険組合{{/NO_CONTACT}}へお問い合わせください。</p>{{/NOT_POSSIBLE}}
<ul class="links">
<li><a href="/forgot-id">本人確認情報入力画面へ</a></li>
<li><a href="/login">ログイン画面へ</a></li>
</ul>
</main>
{{>FOOT}}
</body>
</html>
