【KOSMO Communication Web】パスワード変更完了のお知らせ

{{#NAMED}}{{DISPLAY_NAME}} 様{{/NAMED}}{{#UNNAMED}}ご加入者様{{/UNNAMED}}

{{#HAS_SOCIETY}}{{SOCIETY_NAME}}の{{/HAS_SOCIETY}}KOSMO Communication Web を
ご利用いただき、ありがとうございます。

{{CHANGED_AT}}（日本時間）に、
お客様のアカウントのパスワードが変更されました。
ご本人による変更であれば、このメールへの対応は
不要です。

このパスワード変更にお心当たりがない場合は、
第三者がお客様のアカウントを利用した可能性が
あります。ただちにログイン画面の
「パスワードを忘れた方はこちら」からパスワードを
初期化し、{{#HAS_CONTACT}}下記のお問い合わせ先{{/HAS_CONTACT}}{{#NO_CONTACT}}ご加入の健康保険組合{{/NO_CONTACT}}へご連絡ください。

ログイン画面: {{PUBLIC_BASE_URL}}/login

※このメールは送信専用のアドレスから送信しています。
　ご返信いただいてもお答えできません。

{{>SIGNATURE}}
