{{%AUTOESCAPE context="HTML"}}
<!DOCTYPE html>
<html lang="ja">
<head>
{{>HEAD}}
<title>{{#HAS_ERRORS}}エラー: {{/HAS_ERRORS}}ログイン | {{SITE_TITLE}}</title>
</head>
<body>
{{>BANNER}}
<main id="main">
<h1>ログイン</h1>
{{#LOGGED_OUT}}<p class="notice" role="status">ログアウトしました。</p>{{/LOGGED_OUT}}
{{#LOGIN_FAILED}}<p class="error" role="alert">ログインIDまたはパスワードが正しくありません。</p>{{/LOGIN_FAILED}}
{{#HAS_FIELD_ERRORS}}
<div class="error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="error-summary-title">
<h2 id="error-summary-title">入力内容に誤りがあります（{{ERROR_COUNT}}件）</h2>
<ul>
{{#ERR_LOGIN_ID}}<li><a href="#login_id">ログインIDを入力してください</a></li>{{/ERR_LOGIN_ID}}
{{#ERR_PASSWORD}}<li><a href="#password">パスワードを入力してください</a></li>{{/ERR_PASSWORD}}
</ul>
</div>
{{/HAS_FIELD_ERRORS}}
{{#LOGIN_LOCKED}}<p class="error" role="alert">ログインに続けて失敗したため、ログインを一時的に制限しています。{{WAIT_MINUTES}}分ほど待ってから、もう一度お試しください。</p>{{/LOGIN_LOCKED}}
<form method="post" action="/login" novalidate>
<input type="hidden" name="csrf" value="{{CSRF_TOKEN}}">
<div class="field">
<label for="login_id">ログインID</label>
<input id="login_id" name="login_id" type="text" value="{{LOGIN_ID}}" autocomplete="username" inputmode="numeric" maxlength="64" required aria-describedby="login_id_hint{{#ERR_LOGIN_ID}} login_id_error{{/ERR_LOGIN_ID}}"{{#ERR_LOGIN_ID}} aria-invalid="true"{{/ERR_LOGIN_ID}}>
<p class="hint" id="login_id_hint">13桁の数字です（例: 0010000005750）。</p>
{{#ERR_LOGIN_ID}}<p class="error" id="login_id_error">ログインIDを入力してください。</p>{{/ERR_LOGIN_ID}}
</div>
<div class="field">
<label for="password">パスワード</label>
<input id="password" name="password" type="password" autocomplete="current-password" maxlength="512" required{{#ERR_PASSWORD}} aria-invalid="true" aria-describedby="password_error"{{/ERR_PASSWORD}}>
{{#ERR_PASSWORD}}<p class="error" id="password_error">パスワードを入力してください。</p>{{/ERR_PASSWORD}}
</div>
<div class="actions">
<button type="submit">ログイン</button>
</div>
</form>
<ul class="links">
<li><a href="/forgot-id">IDを忘れた方はこちら</a></li>
<li><a href="/forgot-id">パスワードを忘れた方はこちら</a></li>
</ul>
</main>
{{>FOOT}}
</body>
</html>
