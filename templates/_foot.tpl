{{%AUTOESCAPE context="HTML"}}
<footer class="site-footer">
<p>KOSMO Communication Web</p>
</footer>
