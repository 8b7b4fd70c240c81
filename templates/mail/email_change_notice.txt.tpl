【KOSMO Communication Web】メールアドレス変更手続きのお知らせ

{{#NAMED}}{{DISPLAY_NAME}} 様{{/NAMED}}{{#UNNAMED}}ご加入者様{{/UNNAMED}}

{{#HAS_SOCIETY}}{{SOCIETY_NAME}}の{{/HAS_SOCIETY}}KOSMO Communication Web を
ご利用いただき、ありがとうございます。

{{REQUESTED_AT}}（日本時間）に、
お客様のアカウントで
メールアドレス変更のお手続きがありました。
新しいメールアドレス: {{NEW_EMAIL_MASKED}}

新しいメールアドレスで確認が済むまでは、
このメールアドレスが引き続き
登録済みのメールアドレスです。
ご本人によるお手続きであれば、
このメールへの対応は不要です。

このお手続きにお心当たりがない場合は、第三者が
お客様のアカウントを利用した可能性があります。
ただちにログインしてパスワードを変更し、
{{#HAS_CONTACT}}下記のお問い合わせ先{{/HAS_CONTACT}}{{#NO_CONTACT}}ご加入の健康保険組合{{/NO_CONTACT}}へご連絡ください。

ログイン画面: {{PUBLIC_BASE_URL}}/login

※このメールは送信専用のアドレスから送信しています。
　ご返信いただいてもお答えできません。

{{>SIGNATURE}}
