{{%AUTOESCAPE context="HTML"}}
<!DOCTYPE html>
<html lang="ja">
<head>
{{>HEAD}}
<title>{{#HAS_ERRORS}}エラー: {{/HAS_ERRORS}}本人確認情報入力 | {{SITE_TITLE}}</title>
</head>
<body>
{{>BANNER}}
<main id="main">
{{>STEPS}}
<h1>本人確認情報入力</h1>
{{#HAS_ERRORS}}
<div class="error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="error-summary-title">
<h2 id="error-summary-title">入力内容に誤りがあります（{{ERROR_COUNT}}件）</h2>
<ul>
{{#ERR_CARD_SYMBOL}}<li><a href="#card_symbol">保険証の記号: {{#ERR_CARD_SYMBOL_MISSING}}入力してください{{/ERR_CARD_SYMBOL_MISSING}}{{#ERR_CARD_SYMBOL_TOO_LONG}}64文字以内で入力してください{{/ERR_CARD_SYMBOL_TOO_LONG}}</a></li>{{/ERR_CARD_SYMBOL}}
{{#ERR_CARD_NUMBER}}<li><a href="#card_number">保険証の番号: {{#ERR_CARD_NUMBER_MISSING}}入力してください{{/ERR_CARD_NUMBER_MISSING}}{{#ERR_CARD_NUMBER_TOO_LONG}}64文字以内で入力してください{{/ERR_CARD_NUMBER_TOO_LONG}}</a></li>{{/ERR_CARD_NUMBER}}
{{#ERR_BIRTH_DATE}}<li><a href="#birth_date">生年月日: {{#ERR_BIRTH_DATE_MISSING}}入力してください{{/ERR_BIRTH_DATE_MISSING}}{{#ERR_BIRTH_DATE_TOO_LONG}}64文字以内で入力してください{{/ERR_BIRTH_DATE_TOO_LONG}}{{#BIRTH_DATE_NO_SUCH_DAY}}{{TYPED_ERA}}{{TYPED_YEAR}}年{{TYPED_MONTH}}月{{TYPED_DAY}}日は存在しない日付です{{/BIRTH_DATE_NO_SUCH_DAY}}{{#BIRTH_DATE_TOO_EARLY}}1900年1月1日以降の日付を入力してください{{/BIRTH_DATE_TOO_EARLY}}{{#BIRTH_DATE_IN_FUTURE}}今日より後の日付は入力できません{{/BIRTH_DATE_IN_FUTURE}}{{#BIRTH_DATE_UNREADABLE}}日付として読み取れません{{/BIRTH_DATE_UNREADABLE}}</a></li>{{/ERR_BIRTH_DATE}}
{{#ERR_EMAIL}}<li><a href="#email">メールアドレス: {{#ERR_EMAIL_MISSING}}入力してください{{/ERR_EMAIL_MISSING}}{{#ERR_EMAIL_TOO_LONG}}254文字以内で入力してください{{/ERR_EMAIL_TOO_LONG}}{{#ERR_EMAIL_MALFORMED}}正しい形式で入力してください{{/ERR_EMAIL_MALFORMED}}</a></li>{{/ERR_EMAIL}}
</ul>
</div>
{{/HAS_ERRORS}}
{{#BIRTH_DATE_UNDERSTOOD}}<p class="notice" role="status" id="birth_date_understood">生年月日「{{TYPED_ERA}}{{TYPED_YEAR}}年{{TYPED_MONTH}}月{{TYPED_DAY}}日」は、{{UNDERSTOOD_ERA}}{{UNDERSTOOD_ERA_YEAR}}年{{UNDERSTOOD_MONTH}}月{{UNDERSTOOD_DAY}}日（{{UNDERSTOOD_YEAR}}年{{UNDERSTOOD_MONTH}}月{{UNDERSTOOD_DAY}}日）のことと読み取りました。よろしければ、もう一度「確認」を押してください。</p>{{/BIRTH_DATE_UNDERSTOOD}}
<p>お手元に資格確認書、資格情報のお知らせ、または健康保険証をご用意のうえ、本人確認情報をすべて入力し、「確認」を押してください。</p>
<p>入力内容がご登録の情報と一致した場合、登録済みのメールアドレスに「ログインID再通知のお知らせ」メールをお送りします。</p>
<section class="card-help" aria-labelledby="card-help-title">
<h2 id="card-help-title">保険証の記号・番号について</h2>
<p>2024年12月2日以降、新しい健康保険証は発行されていません。記号・番号は、お手元の次のいずれかに記載されています。</p>
<ul>
<li>資格確認書</li>
<li>資格情報のお知らせ（マイナ保険証をお使いの方に届いている書類）</li>
<li>有効期限内の健康保険証</li>
</ul>
<p>マイナ保険証をお使いの方は、マイナポータルの健康保険証の画面でも確認できます。</p>
</section>
<p class="required-note"><span class="required-mark">必須</span> の項目はすべて入力してください。</p>
<form method="post" action="/forgot-id" novalidate>
<input type="hidden" name="csrf" value="{{CSRF_TOKEN}}">
<div class="field">
<div class="label-row"><label for="card_symbol">保険証の記号</label><span class="required-mark" aria-hidden="true">必須</span></div>
<input id="card_symbol" name="card_symbol" type="text" value="{{CARD_SYMBOL}}" autocomplete="off" maxlength="64" required aria-describedby="card_symbol_hint{{#ERR_CARD_SYMBOL}} card_symbol_error{{/ERR_CARD_SYMBOL}}"{{#ERR_CARD_SYMBOL}} aria-invalid="true"{{/ERR_CARD_SYMBOL}}>
<p class="hint" id="card_symbol_hint">例: 1234。資格確認書、資格情報のお知らせ、または健康保険証の「記号」欄に記載されています。</p>
{{#ERR_CARD_SYMBOL}}<p class="error" id="card_symbol_error">{{#ERR_CARD_SYMBOL_MISSING}}保険証の記号を入力してください。{{/ERR_CARD_SYMBOL_MISSING}}{{#ERR_CARD_SYMBOL_TOO_LONG}}保険証の記号は64文字以内で入力してください。{{/ERR_CARD_SYMBOL_TOO_LONG}}</p>{{/ERR_CARD_SYMBOL}}
</div>
<div class="field">
<div class="label-row"><label for="card_number">保険証の番号</label><span class="required-mark" aria-hidden="true">必須</span></div>
<input id="card_number" name="card_number" type="text" value="{{CARD_NUMBER}}" autocomplete="off" maxlength="64" required aria-describedby="card_number_hint{{#ERR_CARD_NUMBER}} card_number_error{{/ERR_CARD_NUMBER}}"{{#ERR_CARD_NUMBER}} aria-invalid="true"{{/ERR_CARD_NUMBER}}>
<p class="hint" id="card_number_hint">例: 56。記号の隣の「番号」欄に記載されています。</p>
{{#ERR_CARD_NUMBER}}<p class="error" id="card_number_error">{{#ERR_CARD_NUMBER_MISSING}}保険証の番号を入力してください。{{/ERR_CARD_NUMBER_MISSING}}{{#ERR_CARD_NUMBER_TOO_LONG}}保険証の番号は64文字以内で入力してください。{{/ERR_CARD_NUMBER_TOO_LONG}}</p>{{/ERR_CARD_NUMBER}}
</div>
<div class="field">
<div class="label-row"><label for="birth_date">生年月日</label><span class="required-mark" aria-hidden="true">必須</span></div>
<input id="birth_date" name="birth_date" type="text" value="{{BIRTH_DATE}}" placeholder="例: 1980-01-02 / 昭和55年1月2日" autocomplete="bday" maxlength="64" required aria-describedby="birth_date_hint{{#ERR_BIRTH_DATE}} birth_date_error{{/ERR_BIRTH_DATE}}"{{#ERR_BIRTH_DATE}} aria-invalid="true"{{/ERR_BIRTH_DATE}}>
<p class="hint" id="birth_date_hint">西暦（例: 1980-01-02、19800102）または和暦（例: 昭和55年1月2日、S55.1.2）で入力してください。</p>
{{#ERR_BIRTH_DATE}}<p class="error" id="birth_date_error">{{#ERR_BIRTH_DATE_MISSING}}生年月日を入力してください。{{/ERR_BIRTH_DATE_MISSING}}{{#ERR_BIRTH_DATE_TOO_LONG}}生年月日は64文字以内で入力してください。{{/ERR_BIRTH_DATE_TOO_LONG}}{{#BIRTH_DATE_NO_SUCH_DAY}}{{TYPED_ERA}}{{TYPED_YEAR}}年{{TYPED_MONTH}}月{{TYPED_DAY}}日は存在しない日付です。日付をご確認ください。{{/BIRTH_DATE_NO_SUCH_DAY}}{{#BIRTH_DATE_TOO_EARLY}}1900年1月1日以降の日付を入力してください。{{/BIRTH_DATE_TOO_EARLY}}{{#BIRTH_DATE_IN_FUTURE}}今日より後の日付は入力できません。{{/BIRTH_DATE_IN_FUTURE}}{{#BIRTH_DATE_UNREADABLE}}生年月日を日付として読み取れませんでした（例: 1980-01-02 / 昭和55年1月2日）。{{/BIRTH_DATE_UNREADABLE}}</p>{{/ERR_BIRTH_DATE}}
</div>
<div class="field">
<div class="label-row"><label for="email">メールアドレス</label><span class="required-mark" aria-hidden="true">必須</span></div>
<input id="email" name="email" type="text" inputmode="email" value="{{EMAIL}}" autocomplete="email" maxlength="254" required aria-describedby="email_hint{{#ERR_EMAIL}} email_error{{/ERR_EMAIL}}"{{#ERR_EMAIL}} aria-invalid="true"{{/ERR_EMAIL}}>
<p class="hint" id="email_hint">KOSMO Communication Web に登録済みのメールアドレスを入力してください。</p>
{{#ERR_EMAIL}}<p class="error" id="email_error">{{#ERR_EMAIL_MISSING}}メールアドレスを入力してください。{{/ERR_EMAIL_MISSING}}{{#ERR_EMAIL_TOO_LONG}}メールアドレスは254文字以内で入力してください。{{/ERR_EMAIL_TOO_LONG}}{{#ERR_EMAIL_MALFORMED}}メールアドレスを正しく入力してください（例: taro@example.jp）。{{/ERR_EMAIL_MALFORMED}}</p>{{/ERR_EMAIL}}
</div>
<div class="actions">
<button type="submit">確認</button>
</div>
</form>
<ul class="links">
<li><a href="/login">ログイン画面へ</a></li>
</ul>
</main>
{{>FOOT}}
</body>
</html>
