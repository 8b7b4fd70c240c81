{{%AUTOESCAPE context="HTML"}}
<!DOCTYPE html>
<html lang="ja">
<head>
{{>HEAD}}
<title>ログインID再通知 | KOSMO Communication Web</title>
</head>
<body>
{{>BANNER}}
<main id="main">
<h1>ログインID再通知</h1>
<p>あなたのログインIDは下記になります。</p>
<table class="login-id">
<tr><th scope="row">あなたのID</th><td id="login-id">{{LOGIN_ID}}</td></tr>
</table>
{{#CAN_RESET}}<p>あわせてパスワードを初期化したい場合は、パスワードを初期化ボタンを押してください。</p>{{/CAN_RESET}}
{{#RESET_DONE}}<p class="notice" role="status">パスワードは初期化済みです。登録済みのメールアドレスに送信した仮パスワードでログインしてください。</p>{{/RESET_DONE}}
<div class="actions">
{{#CAN_RESET}}
<form method="post" action="/password-reset">
<input type="hidden" name="csrf" value="{{CSRF_TOKEN}}">
<button type="submit">パスワード初期化</button>
</form>
{{/CAN_RESET}}
<form method="get" action="/login">
<button type="submit">ログイン画面へ</button>
</form>
</div>
<p>パスワードも失念した場合、「パスワード初期化」をクリックしてください。ログインする場合は、「ログイン画面へ」をクリックしてください。</p>
</main>
{{>FOOT}}
</body>
</html>
