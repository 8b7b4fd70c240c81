{{%AUTOESCAPE context="HTML"}}
<!DOCTYPE html>
<html lang="ja">
<head>
{{>HEAD}}
<title>メールアドレス変更完了 | {{SITE_TITLE}}</title>
</head>
<body>
{{>BANNER}}
<main id="main">
<h1>メールアドレス変更完了</h1>
<p class="notice" role="status">メールアドレスを確定しました。{{NEW_EMAIL_MASKED}} が登録済みのメールアドレスになりました。</p>
<p>{{#OLD_TOLD}}変更前のメールアドレスと{{/OLD_TOLD}}新しいメールアドレスに「メールアドレス変更完了のお知らせ」を送信しました。今後のお知らせ、ログインIDの再通知、パスワードの初期化のメールは、新しいメールアドレスに届きます。</p>
<ul class="links">
<li><a href="/login">ログイン画面へ</a></li>
</ul>
</main>
{{>FOOT}}
</body>
</html>
