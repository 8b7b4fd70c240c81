{{%AUTOESCAPE context="HTML"}}
<header class="site-header">
<p class="site-name">KOSMO Communication Web</p>
</header>
