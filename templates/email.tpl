{{%AUTOESCAPE context="HTML"}}
<!DOCTYPE html>
<html lang="ja">
<head>
{{>HEAD}}
<title>{{#HAS_ERRORS}}エラー: {{/HAS_ERRORS}}{{#SETUP}}初回設定（2/2）{{/SETUP}}メールアドレス登録・変更 | {{SITE_TITLE}}</title>
</head>
<body>
{{>BANNER}}
<main id="main">
{{>STEPS}}
{{#SETUP}}<h1>初回設定（2/2）メールアドレス登録</h1>
<p>メールアドレスを登録してください。登録がないと、ログインIDやパスワードを忘れたときに、メールで再通知や初期化を受けることができません。</p>{{/SETUP}}
{{#REGISTER}}<h1>メールアドレス登録</h1>
<p>メールアドレスが登録されていません。登録がないと、ログインIDやパスワードを忘れたときに、メールで再通知や初期化を受けることができません。</p>{{/REGISTER}}
{{#CHANGE}}<h1>メールアドレス変更</h1>{{/CHANGE}}
{{#HAS_ERRORS}}
<div class="error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="error-summary-title">
<h2 id="error-summary-title">入力内容に誤りがあります（{{ERROR_COUNT}}件）</h2>
<ul>
{{#ERR_NEW_EMAIL}}<li><a href="#new_email">新しいメールアドレス: {{#ERR_NEW_EMAIL_MISSING}}入力してください{{/ERR_NEW_EMAIL_MISSING}}{{#ERR_NEW_EMAIL_TOO_LONG}}254文字以内で入力してください{{/ERR_NEW_EMAIL_TOO_LONG}}{{#ERR_NEW_EMAIL_MALFORMED}}正しく入力してください{{/ERR_NEW_EMAIL_MALFORMED}}{{#ERR_NEW_EMAIL_SAME}}登録済みのメールアドレスと同じです{{/ERR_NEW_EMAIL_SAME}}</a></li>{{/ERR_NEW_EMAIL}}
{{#ERR_CONFIRM}}<li><a href="#new_email_confirm">新しいメールアドレス（確認）: {{#ERR_CONFIRM_MISSING}}入力してください{{/ERR_CONFIRM_MISSING}}{{#ERR_CONFIRM_MISMATCH}}新しいメールアドレスと一致しません{{/ERR_CONFIRM_MISMATCH}}</a></li>{{/ERR_CONFIRM}}
{{#ERR_PASSWORD}}<li><a href="#current_password">現在のパスワード: {{#ERR_PASSWORD_MISSING}}入力してください{{/ERR_PASSWORD_MISSING}}{{#ERR_PASSWORD_WRONG}}正しくありません{{/ERR_PASSWORD_WRONG}}</a></li>{{/ERR_PASSWORD}}
</ul>
</div>
{{/HAS_ERRORS}}
{{#HAS_EMAIL}}<dl class="account">
<dt>登録済みのメールアドレス</dt><dd>{{REGISTERED_EMAIL}}</dd>
</dl>{{/HAS_EMAIL}}
<p>新しいメールアドレスに確認メールを送信します。メールに記載されたURLを開き、「メールアドレスを確定する」を押すと登録が完了します（URLの有効期限は{{#CONFIRM_TTL_IN_HOURS}}{{CONFIRM_TTL_HOURS}}時間{{/CONFIRM_TTL_IN_HOURS}}{{#CONFIRM_TTL_IN_MINUTES}}{{CONFIRM_TTL_MINUTES}}分{{/CONFIRM_TTL_IN_MINUTES}}です）。{{#HAS_EMAIL}}確定するまでは、登録済みのメールアドレスが引き続き使用されます。{{/HAS_EMAIL}}</p>
{{#ERR_LOCKED}}<p class="error" role="alert">パスワードの誤りが続いたため、一時的にご利用いただけません。{{WAIT_MINUTES}}分ほど待ってから、もう一度お試しください。</p>{{/ERR_LOCKED}}
{{#ERR_LIMIT}}<p class="error" role="alert">確認メールの送信回数が上限に達しました。{{WAIT_MINUTES}}分ほど待ってから、もう一度お試しください。</p>{{/ERR_LIMIT}}
<form method="post" action="/email" novalidate>
<input type="hidden" name="csrf" value="{{CSRF_TOKEN}}">
{{#SETUP}}<input type="hidden" name="setup" value="1">{{/SETUP}}
<div class="field">
<label for="new_email">新しいメールアドレス</label>
<input id="new_email" name="new_email" type="text" inputmode="email" value="{{NEW_EMAIL}}" autocomplete="email" maxlength="254" required{{#ERR_NEW_EMAIL}} aria-invalid="true" aria-describedby="new_email_error"{{/ERR_NEW_EMAIL}}>
{{#ERR_NEW_EMAIL}}<p class="error" id="new_email_error">{{#ERR_NEW_EMAIL_MISSING}}新しいメールアドレスを入力してください。{{/ERR_NEW_EMAIL_MISSING}}{{#ERR_NEW_EMAIL_TOO_LONG}}メールアドレスは254文字以内で入力してください。{{/ERR_NEW_EMAIL_TOO_LONG}}{{#ERR_NEW_EMAIL_MALFORMED}}メールアドレスを正しく入力してください（例: taro@example.jp）。{{/ERR_NEW_EMAIL_MALFORMED}}{{#ERR_NEW_EMAIL_SAME}}登録済みのメールアドレスと同じです。別のメールアドレスを入力してください。{{/ERR_NEW_EMAIL_SAME}}</p>{{/ERR_NEW_EMAIL}}
</div>
<div class="field">
<label for="new_email_confirm">新しいメールアドレス（確認）</label>
<input id="new_email_confirm" name="new_email_confirm" type="text" inputmode="email" value="{{NEW_EMAIL_CONFIRM}}" autocomplete="email" maxlength="254" required{{#ERR_CONFIRM}} aria-invalid="true" aria-describedby="new_email_confirm_error"{{/ERR_CONFIRM}}>
{{#ERR_CONFIRM}}<p class="error" id="new_email_confirm_error">{{#ERR_CONFIRM_MISSING}}確認のため、新しいメールアドレスをもう一度入力してください。{{/ERR_CONFIRM_MISSING}}{{#ERR_CONFIRM_MISMATCH}}新しいメールアドレスと確認用のメールアドレスが一致しません。{{/ERR_CONFIRM_MISMATCH}}</p>{{/ERR_CONFIRM}}
</div>
<div class="field">
<label for="current_password">現在のパスワード</label>
<input id="current_password" name="current_password" type="password" autocomplete="current-password" maxlength="512" required{{#ERR_PASSWORD}} aria-invalid="true" aria-describedby="current_password_error"{{/ERR_PASSWORD}}>
{{#ERR_PASSWORD}}<p class="error" id="current_password_error">{{#ERR_PASSWORD_MISSING}}現在のパスワードを入力してください。{{/ERR_PASSWORD_MISSING}}{{#ERR_PASSWORD_WRONG}}現在のパスワードが正しくありません。{{/ERR_PASSWORD_WRONG}}</p>{{/ERR_PASSWORD}}
</div>
<div class="actions">
<button type="submit">確認メールを送信</button>
</div>
</form>
<ul class="links">
{{#SETUP}}<li><a href="/mypage">あとで登録する</a></li>{{/SETUP}}
{{#NOT_SETUP}}<li><a href="/mypage">マイページへ戻る</a></li>{{/NOT_SETUP}}
</ul>
</main>
{{>FOOT}}
</body>
</html>
