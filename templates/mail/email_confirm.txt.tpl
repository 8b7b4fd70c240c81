【KOSMO Communication Web】メールアドレス確認のお願い

KOSMO Communication Web をご利用いただきありがとうございます。

メールアドレスの登録・変更のお手続きを受け付けました。
下記のURLを開き、「メールアドレスを確定する」を押してください。
押した時点で、このメールアドレスが登録済みのメールアドレスになります。

{{PUBLIC_BASE_URL}}/email/confirm?t={{TOKEN}}

・このURLの有効期限は、このメールの送信から{{#CONFIRM_TTL_IN_HOURS}}{{CONFIRM_TTL_HOURS}}時間{{/CONFIRM_TTL_IN_HOURS}}{{#CONFIRM_TTL_IN_MINUTES}}{{CONFIRM_TTL_MINUTES}}分{{/CONFIRM_TTL_IN_MINUTES}}（{{EXPIRES_AT}}（日本時間）まで）です。
・このURLは1回のみ有効です。2回目以降は無効になります。
・お手続きを再度行った場合は、最後に届いたメールのURLのみ有効です。

このメールにお心当たりがない場合は、どなたかが誤ってこのメールアドレスを入力した可能性があります。
URLは開かずに、このメールを削除してください。URLを開いて確定しない限り、
このメールアドレスが登録されることはありません。

※このメールは送信専用のアドレスから送信しています。ご返信いただいてもお答えできません。
--
KOSMO Communication Web
