【KOSMO Communication Web】メールアドレス変更完了のお知らせ

{{#NAMED}}{{DISPLAY_NAME}} 様{{/NAMED}}{{#UNNAMED}}ご加入者様{{/UNNAMED}}

{{#HAS_SOCIETY}}{{SOCIETY_NAME}}の{{/HAS_SOCIETY}}KOSMO Communication Web を
ご利用いただき、ありがとうございます。

{{CHANGED_AT}}（日本時間）に、
お客様のアカウントの登録済みのメールアドレスが
変更されました。
新しいメールアドレス: {{NEW_EMAIL_MASKED}}

今後のお知らせ、ログインIDの再通知、
パスワードの初期化のメールは、
新しいメールアドレスに届きます。
ご本人による変更であれば、
このメールへの対応は不要です。

この変更にお心当たりがない場合は、第三者が
お客様のアカウントを利用した可能性があります。
ただちにログインしてパスワードを変更し、
{{#HAS_CONTACT}}下記のお問い合わせ先{{/HAS_CONTACT}}{{#NO_CONTACT}}ご加入の健康保険組合{{/NO_CONTACT}}へご連絡ください。

ログイン画面: {{PUBLIC_BASE_URL}}/login

※このメールは送信専用のアドレスから送信しています。
　ご返信いただいてもお答えできません。

{{>SIGNATURE}}
