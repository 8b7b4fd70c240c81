# Installation layout and the Debian package (cpack -G DEB), included from the
# top-level CMakeLists.txt after the programs and the shared files. Paths are
# those of a Debian 12 system; install with prefix /usr (the units name
# /usr/sbin/kosmo-*):
#   /usr/sbin/kosmo-*                            the programs
#   /usr/share/kosmo/{templates,static,sql,data} the shared files (above)
#   /usr/share/kosmo/ffdhe2048.pem               nginx's ssl_dhparam
#   /lib/systemd/system/kosmo-*                  the units (systemd/)
#   /etc/nginx/sites-available/kosmo*.conf       the production nginx site, rendered
#   /etc/nginx/kosmo_fastcgi_params              by scripts/render-nginx
#   /etc/apache2/sites-available/kosmo.conf      the Apache site (apache/)
#   /etc/kosmo/kosmo.conf.example                the configuration to start from
# The files under /etc are conffiles: an upgrade keeps the sysadmin's edits.
# Nothing is enabled: sites-available/ and the units wait for the sysadmin.

# The production nginx files, rendered from the templates the local stack uses.
set(KOSMO_NGINX_PRODUCTION ${CMAKE_BINARY_DIR}/nginx-production)
set(KOSMO_NGINX_FILES
  ${KOSMO_NGINX_PRODUCTION}/kosmo.conf
  ${KOSMO_NGINX_PRODUCTION}/kosmo-http-redirect.conf
  ${KOSMO_NGINX_PRODUCTION}/kosmo_fastcgi_params)
add_custom_command(OUTPUT ${KOSMO_NGINX_FILES}
  COMMAND ${CMAKE_SOURCE_DIR}/scripts/render-nginx ${KOSMO_NGINX_PRODUCTION}
  DEPENDS ${CMAKE_SOURCE_DIR}/scripts/render-nginx ${CMAKE_SOURCE_DIR}/scripts/stack.sh
          ${CMAKE_SOURCE_DIR}/nginx/kosmo-site.conf.in ${CMAKE_SOURCE_DIR}/nginx/kosmo-http-redirect.conf.in
          ${CMAKE_SOURCE_DIR}/nginx/kosmo_fastcgi_params
  COMMENT "Rendering the production nginx site (scripts/render-nginx)"
  VERBATIM)
add_custom_target(kosmo-nginx-production ALL DEPENDS ${KOSMO_NGINX_FILES})

install(FILES
  ${CMAKE_SOURCE_DIR}/systemd/kosmo-screen@.socket
  ${CMAKE_SOURCE_DIR}/systemd/kosmo-screen@.service
  ${CMAKE_SOURCE_DIR}/systemd/kosmo-screens.target
  ${CMAKE_SOURCE_DIR}/systemd/kosmo-mailer.service
  ${CMAKE_SOURCE_DIR}/systemd/kosmo-purge.service
  ${CMAKE_SOURCE_DIR}/systemd/kosmo-purge.timer
  DESTINATION /lib/systemd/system)
install(FILES ${KOSMO_NGINX_PRODUCTION}/kosmo.conf ${KOSMO_NGINX_PRODUCTION}/kosmo-http-redirect.conf
  DESTINATION /etc/nginx/sites-available)
install(FILES ${KOSMO_NGINX_PRODUCTION}/kosmo_fastcgi_params DESTINATION /etc/nginx)
install(FILES ${CMAKE_SOURCE_DIR}/nginx/ffdhe2048.pem DESTINATION ${CMAKE_INSTALL_DATADIR}/kosmo)
install(FILES ${CMAKE_SOURCE_DIR}/apache/kosmo-site.conf
  DESTINATION /etc/apache2/sites-available RENAME kosmo.conf)
install(FILES ${CMAKE_SOURCE_DIR}/packaging/kosmo.conf.example DESTINATION /etc/kosmo)
install(FILES ${CMAKE_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/kosmo-account)

# cpack -G DEB (in the build folder) writes kosmo-account_<version>_<arch>.deb.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME kosmo-account)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "KOSMO Communication Web")
set(CPACK_PACKAGE_CONTACT "KOSMO Communication Web operations <ops@kosmoweb.jp>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "KOSMO Communication Web member account screens (FastCGI programs, mailer, admin CLI)")
set(CPACK_PACKAGE_DESCRIPTION
  "The member account screens of KOSMO Communication Web: login, the forgotten-ID recovery by mail, password reset and change, my page. One FastCGI program per screen behind nginx or Apache, socket-activated by systemd, on MariaDB, with a mail outbox delivered by kosmo-mailer and the kosmo-admin command line.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION web)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
# Library dependencies come from dpkg-shlibdeps, libfcgi0ldbl among them as
# (>= 2.4.2). 2.4.2-2+deb12u1 fixes CVE-2025-23016: the older builds are
# refused by Breaks, not by naming libfcgi in Depends a second time (CPack
# appends shlibdeps' list to ours, so Depends held libfcgi0ldbl twice).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_BREAKS "libfcgi0ldbl (<< 2.4.2-2+deb12u1)")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "nginx | apache2, mariadb-client")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "mariadb-server, default-mta | mail-transport-agent")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  ${CMAKE_SOURCE_DIR}/packaging/deb/conffiles
  ${CMAKE_SOURCE_DIR}/packaging/deb/postinst
  ${CMAKE_SOURCE_DIR}/packaging/deb/prerm
  ${CMAKE_SOURCE_DIR}/packaging/deb/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
