{{%AUTOESCAPE context="HTML"}}
<!DOCTYPE html>
<html lang="ja">
<head>
{{>HEAD}}
<title>パスワード初期化の確認 | {{SITE_TITLE}}</title>
</head>
<body>
{{>BANNER}}
<main id="main">
{{>STEPS}}
<h1>パスワード初期化の確認</h1>
<div class="warning">
<p>パスワードを初期化すると、次のようになります。この操作は取り消せません。</p>
<ul>
<li>現在のパスワードは、初期化した時点で使えなくなります。</li>
<li>仮パスワードを記載したメールを、登録済みのメールアドレス（ログインID再通知メールが届いたアドレス）にお送りします。</li>
<li>次回のログインは仮パスワードで行い、その際に新しいパスワードの設定が必要です。仮パスワードの有効期限は{{#TEMP_PASSWORD_TTL_IN_HOURS}}{{TEMP_PASSWORD_TTL_HOURS}}時間{{/TEMP_PASSWORD_TTL_IN_HOURS}}{{#TEMP_PASSWORD_TTL_IN_MINUTES}}{{TEMP_PASSWORD_TTL_MINUTES}}分{{/TEMP_PASSWORD_TTL_IN_MINUTES}}です。</li>
</ul>
</div>
<p>現在のパスワードを覚えている場合は、初期化の必要はありません。「やめる」を押してください。</p>
<div class="actions">
<form method="post" action="/password-reset">
<input type="hidden" name="csrf" value="{{CSRF_TOKEN}}">
<button type="submit" class="danger">パスワードを初期化する</button>
</form>
<form method="get" action="/id-notice">
<button type="submit" class="secondary">やめる</button>
</form>
</div>
</main>
{{>FOOT}}
</body>
</html>
