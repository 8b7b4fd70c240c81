【KOSMO Communication Web】ログインID再通知のお知らせ

{{#NAMED}}{{DISPLAY_NAME}} 様{{/NAMED}}{{#UNNAMED}}ご加入者様{{/UNNAMED}}

{{#HAS_SOCIETY}}{{SOCIETY_NAME}}の{{/HAS_SOCIETY}}KOSMO Communication Web を
ご利用いただき、ありがとうございます。

ログインIDの再通知のご依頼を受け付けました。
{{#PRESS_BUTTON}}下記のURLを開き、表示された画面で
「ログインIDを表示する」を押して、
ログインIDをご確認ください。
{{/PRESS_BUTTON}}{{#ASK_BIRTH_DATE}}下記のURLを開き、表示された画面で生年月日を
入力して「ログインIDを表示する」を押し、
ログインIDをご確認ください。
{{/ASK_BIRTH_DATE}}{{#OPEN_ONLY}}下記のURLを開き、ログインIDをご確認ください。
{{/OPEN_ONLY}}
{{PUBLIC_BASE_URL}}/id-notice?t={{TOKEN}}

・有効期限: {{TOKEN_DEADLINE}}まで（日本時間）
　このメールの送信から{{#TOKEN_TTL_IN_HOURS}}{{TOKEN_TTL_HOURS}}時間{{/TOKEN_TTL_IN_HOURS}}{{#TOKEN_TTL_IN_MINUTES}}{{TOKEN_TTL_MINUTES}}分{{/TOKEN_TTL_IN_MINUTES}}有効です。
・このURLでログインIDを表示できるのは1回のみです。
　2回目以降は無効になります。
・再度ご依頼された場合は、
　最後に届いたメールのURLのみ有効です。
　それより前に届いたメールのURLは無効になります。
・URLが無効になった場合は、ログイン画面の
　「IDを忘れた方はこちら」から、もう一度
　お手続きください。

このメールにお心当たりがない場合は、どなたかが
誤ってお客様の情報を入力した可能性があります。
URLは開かずに、このメールを削除してください。
URLを開かない限り、ログインIDが表示されることは
なく、パスワードも変更されません。
ご心配な場合は、{{#HAS_CONTACT}}下記のお問い合わせ先{{/HAS_CONTACT}}{{#NO_CONTACT}}ご加入の健康保険組合{{/NO_CONTACT}}へご連絡ください。

※このメールは送信専用のアドレスから送信しています。
　ご返信いただいてもお答えできません。

{{>SIGNATURE}}
