【KOSMO Communication Web】パスワード初期化のお知らせ

{{#NAMED}}{{DISPLAY_NAME}} 様{{/NAMED}}{{#UNNAMED}}ご加入者様{{/UNNAMED}}

{{#HAS_SOCIETY}}{{SOCIETY_NAME}}の{{/HAS_SOCIETY}}KOSMO Communication Web を
ご利用いただき、ありがとうございます。

{{RESET_AT}}（日本時間）に、
ログインID再通知画面の「パスワード初期化」により、
お客様のパスワードを初期化しました。
これまでのパスワードは使用できません。

仮パスワード: {{TEMPORARY_PASSWORD}}

・有効期限: {{TEMP_PASSWORD_DEADLINE}}まで（日本時間）
　このメールの送信から{{#TEMP_PASSWORD_TTL_IN_HOURS}}{{TEMP_PASSWORD_TTL_HOURS}}時間{{/TEMP_PASSWORD_TTL_IN_HOURS}}{{#TEMP_PASSWORD_TTL_IN_MINUTES}}{{TEMP_PASSWORD_TTL_MINUTES}}分{{/TEMP_PASSWORD_TTL_IN_MINUTES}}有効です。
　有効期限を過ぎた場合は、もう一度ログイン画面の
　「IDを忘れた方はこちら」からお手続きください。
・仮パスワードでログインすると、パスワード変更画面が
　表示されます。ご利用を続けるには、
　新しいパスワードを設定してください。
・仮パスワードは大文字と小文字を区別します。
　数字の0・1、英字のO・I・lは使用していません。

ログイン画面: {{PUBLIC_BASE_URL}}/login

このパスワード初期化にお心当たりがない場合は、
第三者がお客様の情報を利用した可能性があります。
この仮パスワードで速やかにログインして新しい
パスワードを設定し、{{#HAS_CONTACT}}下記のお問い合わせ先{{/HAS_CONTACT}}{{#NO_CONTACT}}ご加入の健康保険組合{{/NO_CONTACT}}へ
ご連絡ください。

※このメールは送信専用のアドレスから送信しています。
　ご返信いただいてもお答えできません。

{{>SIGNATURE}}
