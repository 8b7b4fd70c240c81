{{%AUTOESCAPE context="HTML"}}
<!DOCTYPE html>
<html lang="ja">
<head>
{{>HEAD}}
<title>エラー | {{SITE_TITLE}}</title>
</head>
<body>
{{>BANNER}}
<main id="main">
<h1>エラー</h1>
{{#FIELD_TOO_LONG}}<p class="error" role="alert">入力された内容が長すぎるため、処理できませんでした。入力内容をご確認のうえ、画面を開き直してもう一度お試しください。</p>{{/FIELD_TOO_LONG}}
{{#BAD_REQUEST}}<p class="error" role="alert">送信された内容を処理できませんでした。入力内容をご確認のうえ、画面を開き直してもう一度お試しください。</p>{{/BAD_REQUEST}}
{{#CSRF}}<p class="error" role="alert">画面の有効期限が切れたか、不正な送信のため処理できませんでした。お手数ですが、画面を開き直してもう一度お試しください。</p>{{/CSRF}}
{{#NOT_FOUND}}<p class="error" role="alert">お探しのページは見つかりませんでした。</p>{{/NOT_FOUND}}
{{#METHOD_NOT_ALLOWED}}<p class="error" role="alert">この操作はご利用いただけません。</p>{{/METHOD_NOT_ALLOWED}}
{{#TOO_LARGE}}<p class="error" role="alert">送信された内容が大きすぎます。入力内容をご確認ください。</p>{{/TOO_LARGE}}
{{#UNSUPPORTED_MEDIA}}<p class="error" role="alert">この形式の送信は受け付けていません。画面のボタンから送信してください。</p>{{/UNSUPPORTED_MEDIA}}
{{#UNAVAILABLE}}<p class="error" role="alert">ただいまサービスを利用できません。しばらくしてから再度お試しください。</p>{{/UNAVAILABLE}}
{{#SERVER_ERROR}}<p class="error" role="alert">システムエラーが発生しました。しばらくしてから再度お試しください。</p>{{/SERVER_ERROR}}
<p class="request-id">お問い合わせ番号: {{REQUEST_ID}}</p>
<p><a href="/login">ログイン画面へ</a></p>
</main>
{{>FOOT}}
</body>
</html>
