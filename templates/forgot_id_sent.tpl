{{%AUTOESCAPE context="HTML"}}
<!DOCTYPE html>
<html lang="ja">
<head>
{{>HEAD}}
<title>通知メール送信完了 | KOSMO Communication Web</title>
</head>
<body>
{{>BANNER}}
<main id="main">
<h1>通知メール送信完了</h1>
<p class="notice" role="status">入力された本人確認情報がご登録の情報と一致した場合、登録済みのメールアドレスに「ログインID再通知のお知らせ」メールを送信しました。</p>
<p>メール本文に記載されているURLを開き、ログインIDをご確認ください。URLの有効期限はメール送信から{{#TOKEN_TTL_IN_HOURS}}{{TOKEN_TTL_HOURS}}時間{{/TOKEN_TTL_IN_HOURS}}{{#TOKEN_TTL_IN_MINUTES}}{{TOKEN_TTL_MINUTES}}分{{/TOKEN_TTL_IN_MINUTES}}です。URLは1回のみ有効です。</p>
<section aria-labelledby="no-mail">
<h2 id="no-mail">メールが届かない場合</h2>
<p>通知メール送信完了画面が表示されたにも関わらず、メールが届かない場合は、以下の原因が考えられます。</p>
<ul>
<li>a) 迷惑メール対策等でメールを受信ができない</li>
<li>b) 迷惑メールボックスに届いている</li>
</ul>
<ul class="checks">
<li>✓ 迷惑メール対策等でドメイン指定受信を設定されている場合は、@{{SENDING_DOMAIN}} のドメインからメールを受信できるように設定してください。</li>
<li>✓ 迷惑メールボックスの振り分けをご利用の方は、迷惑メールボックスにメールが届いていないかご確認ください。</li>
</ul>
<p>入力内容に誤りがあった場合や、KOSMO Communication Web にログインしたことがない場合、メールアドレスを登録していない場合は、メールは送信されません。</p>
</section>
<ul class="links">
<li><a href="/login">ログイン画面へ</a></li>
<li><a href="/forgot-id">本人確認情報入力画面へ</a></li>
</ul>
</main>
{{>FOOT}}
</body>
</html>
