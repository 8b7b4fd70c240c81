{{%AUTOESCAPE context="HTML"}}
<!DOCTYPE html>
<html lang="ja">
<head>
{{>HEAD}}
<title>URL無効通知 | {{SITE_TITLE}}</title>
</head>
<body>
{{>BANNER}}
<main id="main">
<h1>URL無効通知</h1>
<p class="error" role="alert">このURLは無効です。メールアドレスは変更されていません。</p>
{{#CAUSE_USED}}
<p>このURLは既に使用されています（2回目以降は無効となります）。</p>
{{/CAUSE_USED}}
{{#CAUSE_SUPERSEDED}}
<p>このメールの受信後に再度メールアドレスの登録・変更を行ったため、古いメールに記載されたURLは無効になりました。新しいメールに記載されたURLを開いてください。</p>
{{/CAUSE_SUPERSEDED}}
{{#CAUSE_EXPIRED}}
<p>URLの有効期限が切れています（有効期限はメール送信から{{#CONFIRM_TTL_IN_HOURS}}{{CONFIRM_TTL_HOURS}}時間{{/CONFIRM_TTL_IN_HOURS}}{{#CONFIRM_TTL_IN_MINUTES}}{{CONFIRM_TTL_MINUTES}}分{{/CONFIRM_TTL_IN_MINUTES}}です）。</p>
{{/CAUSE_EXPIRED}}
{{#CAUSE_ADDRESS_CHANGED}}
<p>お手続きの後に登録済みのメールアドレスが変更されたため、このURLは無効になりました。</p>
{{/CAUSE_ADDRESS_CHANGED}}
{{#CAUSE_UNKNOWN}}
<p>メールアドレス確認のお願い（メール）のURLを開いて「URL無効通知画面」が表示された場合は、下記のことが考えられます。</p>
<ol>
<li>既に1度URLを使用している（2回目以降は無効となります）</li>
<li>URLの有効期限が切れている（有効期限は{{#CONFIRM_TTL_IN_HOURS}}{{CONFIRM_TTL_HOURS}}時間{{/CONFIRM_TTL_IN_HOURS}}{{#CONFIRM_TTL_IN_MINUTES}}{{CONFIRM_TTL_MINUTES}}分{{/CONFIRM_TTL_IN_MINUTES}}です。）</li>
<li>メール受信以降に再度お手続きを行っており、古いメールに記載されたURLである</li>
</ol>
<p>URLが途中で切れていないかもご確認ください。</p>
{{/CAUSE_UNKNOWN}}
<p>「閉じる」をクリックしてブラウザを閉じたのち、ログインしてマイページの「メールアドレス変更」から、もう一度お手続きください。</p>
<div class="actions">
<form method="get" action="/login">
<button type="submit">閉じる</button>
</form>
</div>
<ul class="links">
<li><a href="/email">メールアドレス登録・変更画面へ</a></li>
</ul>
</main>
{{>FOOT}}
</body>
</html>
