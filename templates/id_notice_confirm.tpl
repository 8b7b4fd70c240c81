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
{{#ASK_BIRTH_DATE}}<p>ご本人確認のため、生年月日を入力してから「ログインIDを表示する」を押してください。</p>{{/ASK_BIRTH_DATE}}
<p>「ログインIDを表示する」を押すと、ログインID再通知画面にログインIDが表示されます。メールのURLは1回のみ有効です。</p>
<form method="post" action="/id-notice" novalidate>
<input type="hidden" name="csrf" value="{{CSRF_TOKEN}}">
<input type="hidden" name="t" value="{{TOKEN}}">
{{#ASK_BIRTH_DATE}}
<div class="field">
<label for="birth_date">生年月日</label>
<input id="birth_date" name="birth_date" type="text" placeholder="例: 1980-01-02 / 昭和55年1月2日" autocomplete="bday" maxlength="64" required{{#ERR_BIRTH_DATE}} aria-invalid="true" aria-describedby="birth_date_error"{{/ERR_BIRTH_DATE}}>
{{#ERR_BIRTH_DATE}}<p class="error" id="birth_date_error">{{#ERR_BIRTH_DATE_MISSING}}生年月日を入力してください。{{/ERR_BIRTH_DATE_MISSING}}{{#ERR_BIRTH_DATE_MALFORMED}}生年月日を正しく入力してください（例: 1980-01-02 / 昭和55年1月2日）。{{/ERR_BIRTH_DATE_MALFORMED}}{{#ERR_BIRTH_DATE_WRONG}}生年月日がご登録の情報と一致しません。あと{{REMAINING_TRIES}}回誤って入力すると、このURLは無効になります。{{/ERR_BIRTH_DATE_WRONG}}</p>{{/ERR_BIRTH_DATE}}
</div>
{{/ASK_BIRTH_DATE}}
<div class="actions">
<button type="submit">ログインIDを表示する</button>
</div>
</form>
</main>
{{>FOOT}}
</body>
</html>
