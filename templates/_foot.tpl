{{%AUTOESCAPE context="HTML"}}
<footer class="site-footer">
<div class="site-footer-inner">
{{#HAS_CONTACT}}
<section class="contact" aria-labelledby="contact-heading">
<h2 id="contact-heading">お問い合わせ</h2>
{{#HAS_CONTACT_NAME}}<p class="contact-name">{{CONTACT_NAME}}</p>{{/HAS_CONTACT_NAME}}
<dl class="contact-desk">
{{#HAS_CONTACT_PHONE}}<dt>電話</dt><dd>{{CONTACT_PHONE}}</dd>{{/HAS_CONTACT_PHONE}}
{{#HAS_CONTACT_HOURS}}<dt>受付時間</dt><dd>{{CONTACT_HOURS}}</dd>{{/HAS_CONTACT_HOURS}}
</dl>
</section>
{{/HAS_CONTACT}}
{{#HAS_LINKS}}
<ul class="footer-links">
{{#HAS_PRIVACY}}<li><a href="{{PRIVACY_URL}}">個人情報の取り扱いについて</a></li>{{/HAS_PRIVACY}}
{{#HAS_HELP}}<li><a href="{{HELP_URL}}">よくあるご質問</a></li>{{/HAS_HELP}}
</ul>
{{/HAS_LINKS}}
{{#HAS_SOCIETY}}<p class="copyright">© {{SOCIETY_NAME}}</p>{{/HAS_SOCIETY}}
</div>
</footer>
