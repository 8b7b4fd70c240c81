{{%AUTOESCAPE context="HTML"}}
<nav class="steps" aria-label="手続きの流れ（{{STEP_COUNT}}段階中{{STEP_NOW}}段階目）">
<ol>
{{#RECOVERY}}
<li class="{{STEP1_STATE}}" aria-current="{{STEP1_ARIA}}">本人確認<span class="visually-hidden">{{STEP1_SAY}}</span></li>
<li class="{{STEP2_STATE}}" aria-current="{{STEP2_ARIA}}">メール送信<span class="visually-hidden">{{STEP2_SAY}}</span></li>
<li class="{{STEP3_STATE}}" aria-current="{{STEP3_ARIA}}">ログインID表示<span class="visually-hidden">{{STEP3_SAY}}</span></li>
<li class="{{STEP4_STATE}}" aria-current="{{STEP4_ARIA}}">パスワード初期化<span class="visually-hidden">{{STEP4_SAY}}</span></li>
{{/RECOVERY}}
{{#FIRST_SETUP}}
<li class="{{STEP1_STATE}}" aria-current="{{STEP1_ARIA}}">パスワード設定<span class="visually-hidden">{{STEP1_SAY}}</span></li>
<li class="{{STEP2_STATE}}" aria-current="{{STEP2_ARIA}}">メールアドレス登録<span class="visually-hidden">{{STEP2_SAY}}</span></li>
{{/FIRST_SETUP}}
</ol>
</nav>
