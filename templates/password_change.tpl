{{%AUTOESCAPE context="HTML"}}
<!DOCTYPE html>
<html lang="ja">
<head>
{{>HEAD}}
<title>{{#FIRST_LOGIN}}初回設定（1/2）{{/FIRST_LOGIN}}パスワード変更 | KOSMO Communication Web</title>
</head>
<body>
{{>BANNER}}
<main id="main">
<h1>{{#FIRST_LOGIN}}初回設定（1/2）{{/FIRST_LOGIN}}パスワード変更</h1>
{{#FORCED}}<p class="notice" role="status">仮パスワードでログインしています。ご利用を続けるには、新しいパスワードを設定してください。</p>{{/FORCED}}
{{#FIRST_LOGIN}}<p class="notice" role="status">はじめてのログインです。お手元の通知に記載された仮パスワードに代えて、ご自身で決めた新しいパスワードを設定してください。「現在のパスワード」には仮パスワードを入力します。</p>{{/FIRST_LOGIN}}
<p id="password_rules">新しいパスワードは8文字以上128文字以内で入力してください。ログインIDと同じもの、よく使われていて推測されやすいものは使用できません。</p>
<form method="post" action="/password" novalidate>
<input type="hidden" name="csrf" value="{{CSRF_TOKEN}}">
<div class="field">
<label for="current_password">現在のパスワード</label>
<input id="current_password" name="current_password" type="password" autocomplete="current-password" maxlength="512" required{{#ERR_CURRENT_REQUIRED}} aria-invalid="true" aria-describedby="current_password_error"{{/ERR_CURRENT_REQUIRED}}{{#ERR_CURRENT_WRONG}} aria-invalid="true" aria-describedby="current_password_error"{{/ERR_CURRENT_WRONG}}>
{{#ERR_CURRENT_REQUIRED}}<p class="error" id="current_password_error" role="alert">現在のパスワードを入力してください。</p>{{/ERR_CURRENT_REQUIRED}}
{{#ERR_CURRENT_WRONG}}<p class="error" id="current_password_error" role="alert">現在のパスワードが正しくありません。</p>{{/ERR_CURRENT_WRONG}}
</div>
<div class="field">
<label for="new_password">新しいパスワード</label>
<input id="new_password" name="new_password" type="password" autocomplete="new-password" maxlength="512" required aria-describedby="password_rules{{#ERR_NEW_REQUIRED}} new_password_error{{/ERR_NEW_REQUIRED}}{{#ERR_NEW_TOO_SHORT}} new_password_error{{/ERR_NEW_TOO_SHORT}}{{#ERR_NEW_TOO_LONG}} new_password_error{{/ERR_NEW_TOO_LONG}}{{#ERR_NEW_LOGIN_ID}} new_password_error{{/ERR_NEW_LOGIN_ID}}{{#ERR_NEW_COMMON}} new_password_error{{/ERR_NEW_COMMON}}{{#ERR_NEW_INVALID}} new_password_error{{/ERR_NEW_INVALID}}{{#ERR_NEW_SAME_AS_CURRENT}} new_password_error{{/ERR_NEW_SAME_AS_CURRENT}}"{{#ERR_NEW_REQUIRED}} aria-invalid="true"{{/ERR_NEW_REQUIRED}}{{#ERR_NEW_TOO_SHORT}} aria-invalid="true"{{/ERR_NEW_TOO_SHORT}}{{#ERR_NEW_TOO_LONG}} aria-invalid="true"{{/ERR_NEW_TOO_LONG}}{{#ERR_NEW_LOGIN_ID}} aria-invalid="true"{{/ERR_NEW_LOGIN_ID}}{{#ERR_NEW_COMMON}} aria-invalid="true"{{/ERR_NEW_COMMON}}{{#ERR_NEW_INVALID}} aria-invalid="true"{{/ERR_NEW_INVALID}}{{#ERR_NEW_SAME_AS_CURRENT}} aria-invalid="true"{{/ERR_NEW_SAME_AS_CURRENT}}>
{{#ERR_NEW_REQUIRED}}<p class="error" id="new_password_error" role="alert">新しいパスワードを入力してください。</p>{{/ERR_NEW_REQUIRED}}
{{#ERR_NEW_TOO_SHORT}}<p class="error" id="new_password_error" role="alert">新しいパスワードは8文字以上で入力してください。</p>{{/ERR_NEW_TOO_SHORT}}
{{#ERR_NEW_TOO_LONG}}<p class="error" id="new_password_error" role="alert">新しいパスワードは128文字以内で入力してください。</p>{{/ERR_NEW_TOO_LONG}}
{{#ERR_NEW_LOGIN_ID}}<p class="error" id="new_password_error" role="alert">ログインIDと同じパスワードは使用できません。</p>{{/ERR_NEW_LOGIN_ID}}
{{#ERR_NEW_COMMON}}<p class="error" id="new_password_error" role="alert">よく使われていて推測されやすいパスワードのため使用できません。別のパスワードを入力してください。</p>{{/ERR_NEW_COMMON}}
{{#ERR_NEW_INVALID}}<p class="error" id="new_password_error" role="alert">新しいパスワードに使用できない文字が含まれています。</p>{{/ERR_NEW_INVALID}}
{{#ERR_NEW_SAME_AS_CURRENT}}<p class="error" id="new_password_error" role="alert">現在のパスワードと異なるパスワードを入力してください。</p>{{/ERR_NEW_SAME_AS_CURRENT}}
</div>
<div class="field">
<label for="new_password_confirm">新しいパスワード（確認）</label>
<input id="new_password_confirm" name="new_password_confirm" type="password" autocomplete="new-password" maxlength="512" required{{#ERR_CONFIRM_REQUIRED}} aria-invalid="true" aria-describedby="new_password_confirm_error"{{/ERR_CONFIRM_REQUIRED}}{{#ERR_CONFIRM_MISMATCH}} aria-invalid="true" aria-describedby="new_password_confirm_error"{{/ERR_CONFIRM_MISMATCH}}>
{{#ERR_CONFIRM_REQUIRED}}<p class="error" id="new_password_confirm_error" role="alert">確認のため、新しいパスワードをもう一度入力してください。</p>{{/ERR_CONFIRM_REQUIRED}}
{{#ERR_CONFIRM_MISMATCH}}<p class="error" id="new_password_confirm_error" role="alert">新しいパスワードと確認用のパスワードが一致しません。</p>{{/ERR_CONFIRM_MISMATCH}}
</div>
<div class="actions">
<button type="submit">変更する</button>
</div>
</form>
</main>
{{>FOOT}}
</body>
</html>
