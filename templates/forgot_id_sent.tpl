{{%AUTOESCAPE context="HTML"}}
<!DOCTYPE html>
<html lang="ja">
<head>
{{>HEAD}}
<title>通知メール送信完了 | {{SITE_TITLE}}</title>
</head>
<body>
{{>BANNER}}
<main id="main">
{{>STEPS}}
<h1>通知メール送信完了</h1>
<p class="notice" role="status">入力された本人確認情報がご登録の情報と一致した場合、登録済みのメールアドレスに「ログインID再通知のお知らせ」メールを送信しました。</p>
<p>メールは通常、数分以内に届きます。差出人「{{MAIL_FROM_ADDRESS}}」、件名「【KOSMO Communication Web】ログインID再通知のお知らせ」のメールをお探しください。</p>
<p>メール本文に記載されているURLを開き、「ログインIDを表示する」を押して、ログインIDをご確認ください。URLの有効期限はメール送信から{{#TOKEN_TTL_IN_HOURS}}{{TOKEN_TTL_HOURS}}時間{{/TOKEN_TTL_IN_HOURS}}{{#TOKEN_TTL_IN_MINUTES}}{{TOKEN_TTL_MINUTES}}分{{/TOKEN_TTL_IN_MINUTES}}です。URLは1回のみ有効です。</p>
<p>短い時間に何度もお手続きをされた場合、しばらくの間メールが送信されなくなります。その場合は、時間をおいてからもう一度お試しください。</p>
<section aria-labelledby="no-mail">
<h2 id="no-mail">メールが届かない場合</h2>
<p>この画面が表示されたのにメールが届かない場合は、次の原因が考えられます。</p>
<ul>
<li>迷惑メール対策などの設定で、メールを受信できない</li>
<li>迷惑メールフォルダに振り分けられている</li>
</ul>
<p>次の点をご確認ください。</p>
<ul>
<li>迷惑メール対策などでドメイン指定受信を設定されている場合は、「@{{SENDING_DOMAIN}}」のドメインからのメールを受信できるように設定してください。</li>
<li>迷惑メールフォルダへの振り分けをご利用の場合は、迷惑メールフォルダにメールが届いていないかご確認ください。</li>
</ul>
<p>入力内容に誤りがあった場合、KOSMO Communication Web にログインしたことがない場合、メールアドレスを登録していない場合は、メールは送信されません。</p>
{{#HAS_CONTACT}}<p>ログインしたことがない方、メールアドレスを登録していない方、登録したメールアドレスを忘れた方は、この手続きをご利用いただけません。{{#HAS_CONTACT_NAME}}{{CONTACT_NAME}}{{/HAS_CONTACT_NAME}}{{#NO_CONTACT_NAME}}{{SITE_TITLE}}{{/NO_CONTACT_NAME}}{{#HAS_CONTACT_PHONE}}（電話: {{CONTACT_PHONE}}{{#HAS_CONTACT_HOURS}}、受付時間: {{CONTACT_HOURS}}{{/HAS_CONTACT_HOURS}}）{{/HAS_CONTACT_PHONE}}へお問い合わせください。</p>{{/HAS_CONTACT}}
{{#NO_CONTACT}}<p>ログインしたことがない方、メールアドレスを登録していない方、登録したメールアドレスを忘れた方は、この手続きをご利用いただけません。ご加入の健康保険組合へお問い合わせください。</p>{{/NO_CONTACT}}
</section>
<ul class="links">
<li><a href="/login">ログイン画面へ</a></li>
<li><a href="/forgot-id">本人確認情報入力画面へ</a></li>
</ul>
</main>
{{>FOOT}}
</body>
</html>
