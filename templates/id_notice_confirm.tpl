{{%AUTOESCAPE context="HTML"}}
<!DOCTYPE html>
<html lang="ja">
<head>
{{>HEAD}}
<title>{{#HAS_ERRORS}}エラー: {{/HAS_ERRORS}}ログインIDの表示 | {{SITE_TITLE}}</title>
</head>
<body>
{{>BANNER}}
<main id="main">
{{>STEPS}}
<h1>ログインIDの表示</h1>
{{#HAS_ERRORS}}
<div class="error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="error-summary-title">
<h2 id="error-summary-title">入力内容に誤りがあります（1件）</h2>
<ul>
<li><a href="#birth_date">生年月日: {{#ERR_BIRTH_DATE_MISSING}}入力してください{{/ERR_BIRTH_DATE_MISSING}}{{#BIRTH_DATE_NO_SUCH_DAY}}{{TYPED_ERA}}{{TYPED_YEAR}}年{{TYPED_MONTH}}月{{TYPED_DAY}}日は存在しない日付です{{/BIRTH_DATE_NO_SUCH_DAY}}{{#BIRTH_DATE_TOO_EARLY}}1900年1月1日以降の日付を入力してください{{/BIRTH_DATE_TOO_EARLY}}{{#BIRTH_DATE_IN_FUTURE}}今日より後の日付は入力できません{{/BIRTH_DATE_IN_FUTURE}}{{#BIRTH_DATE_UNREADABLE}}日付として読み取れません{{/BIRTH_DATE_UNREADABLE}}{{#ERR_BIRTH_DATE_WRONG}}ご登録の情報と一致しません{{/ERR_BIRTH_DATE_WRONG}}</a></li>
</ul>
</div>
{{/HAS_ERRORS}}
{{#ASK_BIRTH_DATE}}<p>ご本人確認のため、生年月日を入力してから「ログインIDを表示する」を押してください。</p>{{/ASK_BIRTH_DATE}}
<p>「ログインIDを表示する」を押すと、ログインIDが表示されます。メールのURLは1回のみ有効です。</p>
<form method="post" action="/id-notice" novalidate>
<input type="hidden" name="csrf" value="{{CSRF_TOKEN}}">
<input type="hidden" name="t" value="{{TOKEN}}">
{{#ASK_BIRTH_DATE}}
<div class="field">
<label for="birth_date">生年月日</label>
<input id="birth_date" name="birth_date" type="text" autocomplete="bday" maxlength="64" required aria-describedby="birth_date_hint{{#ERR_BIRTH_DATE}} birth_date_error{{/ERR_BIRTH_DATE}}"{{#ERR_BIRTH_DATE}} aria-invalid="true"{{/ERR_BIRTH_DATE}}>
<p class="hint" id="birth_date_hint">西暦（例: 1980-01-02）または和暦（例: 昭和55年1月2日）で入力してください。</p>
{{#ERR_BIRTH_DATE}}<p class="error" id="birth_date_error">{{#ERR_BIRTH_DATE_MISSING}}生年月日を入力してください。{{/ERR_BIRTH_DATE_MISSING}}{{#BIRTH_DATE_NO_SUCH_DAY}}{{TYPED_ERA}}{{TYPED_YEAR}}年{{TYPED_MONTH}}月{{TYPED_DAY}}日は存在しない日付です。日付をご確認ください。{{/BIRTH_DATE_NO_SUCH_DAY}}{{#BIRTH_DATE_TOO_EARLY}}1900年1月1日以降の日付を入力してください。{{/BIRTH_DATE_TOO_EARLY}}{{#BIRTH_DATE_IN_FUTURE}}今日より後の日付は入力できません。{{/BIRTH_DATE_IN_FUTURE}}{{#BIRTH_DATE_UNREADABLE}}生年月日を日付として読み取れませんでした（例: 1980-01-02 / 昭和55年1月2日）。{{/BIRTH_DATE_UNREADABLE}}{{#ERR_BIRTH_DATE_WRONG}}生年月日がご登録の情報と一致しません。あと{{REMAINING_TRIES}}回誤って入力すると、このURLは無効になります。{{/ERR_BIRTH_DATE_WRONG}}</p>{{/ERR_BIRTH_DATE}}
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
