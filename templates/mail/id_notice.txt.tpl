【KOSMO Communication Web】ログインID再通知のお知らせ

KOSMO Communication Web をご利用いただきありがとうございます。

ログインIDの再通知のご依頼を受け付けました。
下記のURLを開き、ログインID再通知画面でログインIDをご確認ください。

{{PUBLIC_BASE_URL}}/id-notice?t={{TOKEN}}

・このURLの有効期限は、このメールの送信から{{#TOKEN_TTL_IN_HOURS}}{{TOKEN_TTL_HOURS}}時間{{/TOKEN_TTL_IN_HOURS}}{{#TOKEN_TTL_IN_MINUTES}}{{TOKEN_TTL_MINUTES}}分{{/TOKEN_TTL_IN_MINUTES}}です。
・このURLでログインIDを表示できるのは1回のみです。2回目以降は無効になります。
・ログインIDの再通知を再度ご依頼された場合は、最後に届いたメールのURLのみ有効です。
  それより前に届いたメールのURLは無効になります。
・URLが無効になった場合は、ログイン画面の「IDを忘れた方はこちら」から、もう一度お手続きください。

このメールにお心当たりがない場合は、どなたかが誤ってお客様の情報を入力した可能性があります。
URLは開かずに、このメールを削除してください。URLを開かない限り、ログインIDが表示されることはなく、
パスワードも変更されません。ご心配な場合は、ご加入の健康保険組合へご連絡ください。

※このメールは送信専用のアドレスから送信しています。ご返信いただいてもお答えできません。
--
KOSMO Communication Web
