{{%AUTOESCAPE context="HTML"}}
<!DOCTYPE html>
<html lang="ja">
<head>
{{>HEAD}}
<title>本人確認情報入力 | KOSMO Communication Web</title>
</head>
<body>
{{>BANNER}}
<main id="main">
<h1>本人確認情報入力</h1>
<p>お手元に健康保険証をご用意のうえ、本人確認情報をすべて入力し、「確認」を押してください。</p>
<p>入力内容がご登録の情報と一致した場合、登録済みのメールアドレスにログインID再通知のお知らせをお送りします。</p>
<form method="post" action="/forgot-id" novalidate>
<input type="hidden" name="csrf" value="{{CSRF_TOKEN}}">
<div class="field">
<label for="card_symbol">保険証の記号</label>
<input id="card_symbol" name="card_symbol" type="text" value="{{CARD_SYMBOL}}" autocomplete="off" maxlength="64" required{{#ERR_CARD_SYMBOL}} aria-invalid="true" aria-describedby="card_symbol_error"{{/ERR_CARD_SYMBOL}}>
{{#ERR_CARD_SYMBOL}}<p class="error" id="card_symbol_error">{{#ERR_CARD_SYMBOL_MISSING}}保険証の記号を入力してください。{{/ERR_CARD_SYMBOL_MISSING}}{{#ERR_CARD_SYMBOL_TOO_LONG}}保険証の記号は64文字以内で入力してください。{{/ERR_CARD_SYMBOL_TOO_LONG}}</p>{{/ERR_CARD_SYMBOL}}
</div>
<div class="field">
<label for="card_number">保険証の番号</label>
<input id="card_number" name="card_number" type="text" value="{{CARD_NUMBER}}" autocomplete="off" maxlength="64" required{{#ERR_CARD_NUMBER}} aria-invalid="true" aria-describedby="card_number_error"{{/ERR_CARD_NUMBER}}>
{{#ERR_CARD_NUMBER}}<p class="error" id="card_number_error">{{#ERR_CARD_NUMBER_MISSING}}保険証の番号を入力してください。{{/ERR_CARD_NUMBER_MISSING}}{{#ERR_CARD_NUMBER_TOO_LONG}}保険証の番号は64文字以内で入力してください。{{/ERR_CARD_NUMBER_TOO_LONG}}</p>{{/ERR_CARD_NUMBER}}
</div>
<div class="field">
<label for="birth_date">生年月日</label>
<input id="birth_date" name="birth_date" type="text" value="{{BIRTH_DATE}}" placeholder="例: 1980-01-02 / 昭和55年1月2日" autocomplete="bday" maxlength="64" required aria-describedby="birth_date_hint{{#ERR_BIRTH_DATE}} birth_date_error{{/ERR_BIRTH_DATE}}"{{#ERR_BIRTH_DATE}} aria-invalid="true"{{/ERR_BIRTH_DATE}}>
<p class="hint" id="birth_date_hint">西暦（例: 1980-01-02、19800102）または和暦（例: 昭和55年1月2日、S55.1.2）で入力してください。</p>
{{#ERR_BIRTH_DATE}}<p class="error" id="birth_date_error">{{#ERR_BIRTH_DATE_MISSING}}生年月日を入力してください。{{/ERR_BIRTH_DATE_MISSING}}{{#ERR_BIRTH_DATE_TOO_LONG}}生年月日は64文字以内で入力してください。{{/ERR_BIRTH_DATE_TOO_LONG}}{{#ERR_BIRTH_DATE_MALFORMED}}生年月日を正しく入力してください（例: 1980-01-02 / 昭和55年1月2日）。{{/ERR_BIRTH_DATE_MALFORMED}}</p>{{/ERR_BIRTH_DATE}}
</div>
<div class="field">
<label for="email">メールアドレス</label>
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
