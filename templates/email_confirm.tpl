{{%AUTOESCAPE context="HTML"}}
<!DOCTYPE html>
<html lang="ja">
<head>
{{>HEAD}}
<title>メールアドレス確認 | {{SITE_TITLE}}</title>
</head>
<body>
{{>BANNER}}
<main id="main">
<h1>メールアドレス確認</h1>
<p>新しいメールアドレス {{NEW_EMAIL_MASKED}} を登録済みのメールアドレスにします。よろしければ「メールアドレスを確定する」を押してください。このURLは1回のみ有効です。</p>
<form method="post" action="/email/confirm" novalidate>
<input type="hidden" name="csrf" value="{{CSRF_TOKEN}}">
<input type="hidden" name="t" value="{{TOKEN}}">
<div class="actions">
<button type="submit">メールアドレスを確定する</button>
</div>
</form>
<p>お手続きにお心当たりがない場合は、このボタンを押さずに画面を閉じてください。</p>
</main>
{{>FOOT}}
</body>
</html>
