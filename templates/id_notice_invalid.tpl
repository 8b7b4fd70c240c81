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
<p class="error" role="alert">このURLは無効です。ログインIDは表示できません。</p>
{{#CAUSE_USED}}
<p>このURLは既に1度開かれています（2回目以降は無効となります）。</p>
<p>ご自身で開いた覚えがない場合は、社内イントラ等で設定されている「検閲機能」やメールのセキュリティソフトが、事前にURLを開いた可能性があります。お手数ですが、もう一度ログインID再通知メールを送信してください。繰り返し発生する場合は、{{SENDING_DOMAIN}} をホワイトリストに追加するよう、社内のシステム管理者にご相談ください。</p>
{{/CAUSE_USED}}
{{#CAUSE_TOO_MANY_FAILURES}}
<p>生年月日が規定の回数以上誤って入力されたため、このURLは無効になりました。</p>
{{/CAUSE_TOO_MANY_FAILURES}}
{{#CAUSE_SUPERSEDED}}
<p>このメールの受信後に再度ログインID再通知を行ったため、古いメールに記載されたURLは無効になりました。新しいメールに記載されたURLを開いてください。</p>
{{/CAUSE_SUPERSEDED}}
{{#CAUSE_EXPIRED}}
<p>URLの有効期限が切れています（有効期限はメール送信から{{#TOKEN_TTL_IN_HOURS}}{{TOKEN_TTL_HOURS}}時間{{/TOKEN_TTL_IN_HOURS}}{{#TOKEN_TTL_IN_MINUTES}}{{TOKEN_TTL_MINUTES}}分{{/TOKEN_TTL_IN_MINUTES}}です）。</p>
{{/CAUSE_EXPIRED}}
{{#CAUSE_GRANT_GONE}}
<p>ログインIDを表示できる時間（「ログインIDを表示する」を押してから{{#GRANT_TTL_IN_HOURS}}{{GRANT_TTL_HOURS}}時間{{/GRANT_TTL_IN_HOURS}}{{#GRANT_TTL_IN_MINUTES}}{{GRANT_TTL_MINUTES}}分{{/GRANT_TTL_IN_MINUTES}}）が過ぎたか、メールのURLを開いたときとは別のブラウザやアプリでこの画面を開いています。ログインIDは、メールのURLを開いたブラウザでのみ、その時間内に表示できます。</p>
{{/CAUSE_GRANT_GONE}}
{{#CAUSE_UNKNOWN}}
<p>ログインID再通知のお知らせ（メール）のURLを開いて「URL無効通知画面」が表示された場合は、下記のことが考えられます。</p>
<ol>
<li>既に1度URLを開いている（2回目以降は無効となります）</li>
<li>URLの有効期限が切れている（有効期限は{{#TOKEN_TTL_IN_HOURS}}{{TOKEN_TTL_HOURS}}時間{{/TOKEN_TTL_IN_HOURS}}{{#TOKEN_TTL_IN_MINUTES}}{{TOKEN_TTL_MINUTES}}分{{/TOKEN_TTL_IN_MINUTES}}です。）</li>
<li>メール受信以降に再度ID再通知を行っており、古いメールに記載されたURLである（新しいメールを発行した場合、古い方のメールにあるURLは無効です）</li>
<li>社内イントラ等で設定されている「検閲機能」にて、事前にURLが開かれている可能性があります（本人が開いたのは初めてでも、セキュリティソフトが先に見ているケースです。{{SENDING_DOMAIN}} をホワイトリストに追加してください）</li>
</ol>
<p>URLが途中で切れていないかもご確認ください。</p>
{{/CAUSE_UNKNOWN}}
<p>ログインIDを確認するには、本人確認情報入力画面からもう一度ログインID再通知メールを送信し、新しいメールのURLを開いてください。このページは、そのまま閉じてかまいません。</p>
<div class="actions">
<form method="get" action="/forgot-id">
<button type="submit">本人確認情報入力画面へ</button>
</form>
</div>
<ul class="links">
<li><a href="/login">ログイン画面へ</a></li>
</ul>
</main>
{{>FOOT}}
</body>
</html>
