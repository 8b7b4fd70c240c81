{{%AUTOESCAPE context="HTML"}}
<!DOCTYPE html>
<html lang="ja">
<head>
{{>HEAD}}
<title>確認メール送信完了 | {{SITE_TITLE}}</title>
</head>
<body>
{{>BANNER}}
<main id="main">
{{#SETUP}}<p class="step">初回設定（2/2）メールアドレス登録</p>{{/SETUP}}
<h1>確認メールを送信しました</h1>
<p class="notice" role="status">{{NEW_EMAIL_MASKED}} に「メールアドレス確認のお願い」メールを送信しました。</p>
<p>メールに記載されているURLを開き、「メールアドレスを確定する」を押してください。押した時点で、新しいメールアドレスが登録済みのメールアドレスになります。URLの有効期限は {{EXPIRES_AT}}（日本時間）までで、1回のみ有効です。</p>
{{#REGISTERED_TOLD}}<p>確定するまでは、これまでの登録済みのメールアドレスが引き続き使用されます。これまでのメールアドレスには「メールアドレス変更手続きのお知らせ」を送信しました。</p>{{/REGISTERED_TOLD}}
<section aria-labelledby="no-mail">
<h2 id="no-mail">メールが届かない場合</h2>
<p>迷惑メールボックスをご確認ください。ドメイン指定受信を設定されている場合は、@{{SENDING_DOMAIN}} のドメインからメールを受信できるように設定してから、もう一度お手続きください。新しく送信した場合は、最後に届いたメールのURLのみ有効です。</p>
</section>
<ul class="links">
<li><a href="/mypage">マイページへ</a></li>
</ul>
</main>
{{>FOOT}}
</body>
</html>
