{{%AUTOESCAPE context="HTML"}}
<!DOCTYPE html>
<html lang="ja">
<head>
{{>HEAD}}
<title>ログインID再通知 | {{SITE_TITLE}}</title>
</head>
<body>
{{>BANNER}}
<main id="main">
{{>STEPS}}
<h1>ログインID再通知</h1>
<p>あなたのログインIDは下記になります。</p>
<table class="login-id">
<tr><th scope="row">あなたのID</th><td id="login-id">{{LOGIN_ID}}</td></tr>
</table>
{{#CAN_RESET}}<p>あわせてパスワードを初期化したい場合は、「パスワード初期化」ボタンを押してください。次の画面で内容をご確認いただいてから初期化します。</p>{{/CAN_RESET}}
{{#RESET_DONE}}<p class="notice" role="status">パスワードは初期化済みです。登録済みのメールアドレスにお送りした仮パスワードでログインしてください。</p>{{/RESET_DONE}}
<div class="actions">
<form method="get" action="/login">
<button type="submit">ログイン画面へ</button>
</form>
{{#CAN_RESET}}
<form method="get" action="/password-reset">
<button type="submit" class="secondary">パスワード初期化</button>
</form>
{{/CAN_RESET}}
</div>
{{#RESET_DONE}}<p>ログインする場合は、「ログイン画面へ」を押し、仮パスワードでログインしてください。</p>{{/RESET_DONE}}
</main>
{{>FOOT}}
</body>
</html>
