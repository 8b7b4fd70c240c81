【KOSMO Communication Web】パスワード初期化のお知らせ

KOSMO Communication Web をご利用いただきありがとうございます。

{{RESET_AT}}（日本時間）に、ログインID再通知画面の「パスワード初期化」により、
お客様のパスワードを初期化しました。これまでのパスワードは使用できません。

仮パスワード: {{TEMPORARY_PASSWORD}}

・仮パスワードの有効期限は、このメールの送信から{{#TEMP_PASSWORD_TTL_IN_HOURS}}{{TEMP_PASSWORD_TTL_HOURS}}時間{{/TEMP_PASSWORD_TTL_IN_HOURS}}{{#TEMP_PASSWORD_TTL_IN_MINUTES}}{{TEMP_PASSWORD_TTL_MINUTES}}分{{/TEMP_PASSWORD_TTL_IN_MINUTES}}です。
  有効期限を過ぎた場合は、もう一度「IDを忘れた方はこちら」からお手続きください。
・仮パスワードでログインすると、パスワード変更画面が表示されます。
  ご利用を続けるには、新しいパスワードを設定してください。
・仮パスワードは大文字と小文字を区別します。数字の0・1、英字のO・I・lは使用していません。

ログイン画面: {{PUBLIC_BASE_URL}}/login

このパスワード初期化にお心当たりがない場合は、第三者がお客様の情報を利用した可能性があります。
この仮パスワードで速やかにログインして新しいパスワードを設定し、ご加入の健康保険組合へご連絡ください。

※このメールは送信専用のアドレスから送信しています。ご返信いただいてもお答えできません。
--
KOSMO Communication Web
