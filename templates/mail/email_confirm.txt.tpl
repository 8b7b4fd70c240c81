【KOSMO Communication Web】メールアドレス確認のお願い

{{#NAMED}}{{DISPLAY_NAME}} 様{{/NAMED}}{{#UNNAMED}}ご加入者様{{/UNNAMED}}

{{#HAS_SOCIETY}}{{SOCIETY_NAME}}の{{/HAS_SOCIETY}}KOSMO Communication Web を
ご利用いただき、ありがとうございます。

メールアドレスの登録・変更のお手続きを受け付けました。
下記のURLを開き、表示された画面で
「メールアドレスを確定する」を押してください。
押した時点で、このメールアドレスが
登録済みのメールアドレスになります。

{{PUBLIC_BASE_URL}}/email/confirm?t={{TOKEN}}

・有効期限: {{EXPIRES_AT}}まで（日本時間）
　このメールの送信から{{#CONFIRM_TTL_IN_HOURS}}{{CONFIRM_TTL_HOURS}}時間{{/CONFIRM_TTL_IN_HOURS}}{{#CONFIRM_TTL_IN_MINUTES}}{{CONFIRM_TTL_MINUTES}}分{{/CONFIRM_TTL_IN_MINUTES}}有効です。
・このURLは1回のみ有効です。
　2回目以降は無効になります。
・お手続きを再度行った場合は、
　最後に届いたメールのURLのみ有効です。

このメールにお心当たりがない場合は、どなたかが
誤ってこのメールアドレスを入力した可能性があります。
URLは開かずに、このメールを削除してください。
URLを開いて確定しない限り、このメールアドレスが
登録されることはありません。

※このメールは送信専用のアドレスから送信しています。
　ご返信いただいてもお答えできません。

{{>SIGNATURE}}
