{{%AUTOESCAPE context="HTML"}}
<!DOCTYPE html>
<html lang="ja">
<head>
{{>HEAD}}
<title>パスワード初期化完了 | {{SITE_TITLE}}</title>
</head>
<body>
{{>BANNER}}
<main id="main">
{{>STEPS}}
<h1>パスワード初期化完了</h1>
<p class="notice" role="status">パスワードを初期化しました。これまでのパスワードは使用できません。</p>
<p>KOSMO Communication Web にご登録いただいているメールアドレスへ、仮パスワードが記載されたメールを送信しました。メールは通常、数分以内に届きます。届いたメールの本文に記載されている仮パスワードをご確認ください。</p>
<p>※メールアドレスはログインID再通知メールが届いたアドレスと同じです。</p>
<ul>
<li>仮パスワードの有効期限は{{#TEMP_PASSWORD_TTL_IN_HOURS}}{{TEMP_PASSWORD_TTL_HOURS}}時間{{/TEMP_PASSWORD_TTL_IN_HOURS}}{{#TEMP_PASSWORD_TTL_IN_MINUTES}}{{TEMP_PASSWORD_TTL_MINUTES}}分{{/TEMP_PASSWORD_TTL_IN_MINUTES}}です。</li>
<li>仮パスワードでログインすると、新しいパスワードの設定をお願いする画面が表示されます。</li>
</ul>
<div class="actions">
<form method="get" action="/login">
<button type="submit">ログイン画面へ</button>
</form>
</div>
</main>
{{>FOOT}}
</body>
</html>
