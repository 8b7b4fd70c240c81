{{%AUTOESCAPE context="HTML"}}
<!DOCTYPE html>
<html lang="ja">
<head>
{{>HEAD}}
<title>マイページ | {{SITE_TITLE}}</title>
</head>
<body>
{{>BANNER}}
<main id="main">
<h1>マイページ</h1>
{{#PASSWORD_CHANGED}}<p class="notice" role="status">パスワードを変更しました。登録済みのメールアドレスにお知らせを送信しました。</p>{{/PASSWORD_CHANGED}}
{{#NO_EMAIL}}<section class="notice" aria-labelledby="no_email_heading">
<h2 id="no_email_heading">メールアドレスが登録されていません</h2>
<p>メールアドレスを登録していないと、ログインIDやパスワードを忘れたときに、メールで再通知や仮パスワードの発行を受けることができません。</p>
<p><a href="/email">メールアドレスを登録する</a></p>
</section>{{/NO_EMAIL}}
<dl class="account">
{{#HAS_NAME}}<dt>お名前</dt><dd>{{DISPLAY_NAME}}</dd>{{/HAS_NAME}}
<dt>ログインID</dt><dd id="login-id">{{LOGIN_ID}}</dd>
<dt>登録済みのメールアドレス</dt>
{{#HAS_EMAIL}}<dd>{{EMAIL}}</dd>{{/HAS_EMAIL}}
{{#NO_EMAIL}}<dd>登録されていません</dd>{{/NO_EMAIL}}
{{#PENDING_EMAIL}}<dt>確認待ちのメールアドレス</dt><dd>{{PENDING_EMAIL_MASKED}}（確認メールのURLの有効期限: {{PENDING_EXPIRES_AT}}（日本時間）まで）</dd>{{/PENDING_EMAIL}}
<dt>前回のログイン</dt>
{{#HAS_PREVIOUS_LOGIN}}<dd>{{PREVIOUS_LOGIN}}</dd>{{/HAS_PREVIOUS_LOGIN}}
{{#FIRST_LOGIN}}<dd>今回が初めてのログインです</dd>{{/FIRST_LOGIN}}
{{#FIRST_LOGIN_HERE}}<dd>記録がありません（このサイトでのログインは今回が初めてです）</dd>{{/FIRST_LOGIN_HERE}}
</dl>
<ul class="links">
<li><a href="/password">パスワード変更</a></li>
{{#HAS_EMAIL}}<li><a href="/email">メールアドレス変更</a></li>{{/HAS_EMAIL}}
{{#NO_EMAIL}}<li><a href="/email">メールアドレス登録</a></li>{{/NO_EMAIL}}
</ul>
<form method="post" action="/logout">
<input type="hidden" name="csrf" value="{{CSRF_TOKEN}}">
<div class="actions">
<button type="submit">ログアウト</button>
</div>
</form>
</main>
{{>FOOT}}
</body>
</html>
