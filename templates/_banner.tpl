{{%AUTOESCAPE context="HTML"}}
<header class="site-header">
<div class="site-header-inner">
{{#HAS_LOGO}}<img class="site-logo" src="{{SOCIETY_LOGO}}" alt="" width="40" height="40">{{/HAS_LOGO}}
<p class="site-name">{{#HAS_SOCIETY}}<span class="society-name">{{SOCIETY_NAME}}</span>{{/HAS_SOCIETY}}<span class="service-name">KOSMO Communication Web 被保険者向けサービス</span></p>
</div>
</header>
