# What `cmake --install` lays out and how CPack makes a Debian package of it
# (packaging/deb.sh builds docpipe_<version>_amd64.deb). Binaries and the window's files come
# from their own folders' install() rules; this file adds the operator's side: the systemd units,
# the example configuration (conffiles), the Prometheus rules, and the Debian documentation.
include(GNUInstallDirs)

set(DOCPIPE_DEB_DIR ${PROJECT_SOURCE_DIR}/packaging/debian)
set(DOCPIPE_SYSTEMD_DIR /lib/systemd/system) # Debian 12 keeps units there (before the /usr merge)

install(FILES ${PROJECT_SOURCE_DIR}/packaging/docpipe-worker.service
              ${PROJECT_SOURCE_DIR}/packaging/docpipe-worker-health.service
              ${PROJECT_SOURCE_DIR}/packaging/docpipe-worker-health.timer
        DESTINATION ${DOCPIPE_SYSTEMD_DIR})
install(FILES ${DOCPIPE_DEB_DIR}/docpipe.ini DESTINATION /etc/docpipe)
install(FILES ${DOCPIPE_DEB_DIR}/worker.env DESTINATION /etc/docpipe PERMISSIONS OWNER_READ OWNER_WRITE)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/prometheus/docpipe-alerts.yml
              ${PROJECT_SOURCE_DIR}/packaging/prometheus/docpipe-alerts.test.yml
              ${PROJECT_SOURCE_DIR}/packaging/prometheus/prometheus.example.yml
              ${PROJECT_SOURCE_DIR}/packaging/prometheus/alertmanager.example.yml
        DESTINATION ${CMAKE_INSTALL_DATADIR}/docpipe/prometheus)

# Debian wants a copyright file and a compressed changelog in the package's doc folder (a native
# package: changelog.gz).
set(DOCPIPE_DOC_DIR ${CMAKE_INSTALL_DATADIR}/doc/docpipe)
string(TIMESTAMP DOCPIPE_BUILD_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
file(WRITE ${CMAKE_BINARY_DIR}/packaging/changelog
     "docpipe (${PROJECT_VERSION}) unstable; urgency=medium\n\n"
     "  * Built from the Docpipe sources.\n\n"
     " -- The Docpipe developers <docpipe@example.org>  ${DOCPIPE_BUILD_DATE}\n")
add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/packaging/changelog.gz
                   COMMAND gzip -9nkf ${CMAKE_BINARY_DIR}/packaging/changelog
                   DEPENDS ${CMAKE_BINARY_DIR}/packaging/changelog)
add_custom_target(docpipe_changelog ALL DEPENDS ${CMAKE_BINARY_DIR}/packaging/changelog.gz)
install(FILES ${DOCPIPE_DEB_DIR}/lintian-overrides DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides RENAME docpipe)
install(FILES ${CMAKE_BINARY_DIR}/packaging/changelog.gz ${DOCPIPE_DEB_DIR}/copyright
              ${PROJECT_SOURCE_DIR}/packaging/DEPLOYMENT.md ${PROJECT_SOURCE_DIR}/packaging/OPERATIONS.md
        DESTINATION ${DOCPIPE_DOC_DIR})

# `cmake --install` (and CPack) installs what was built, without building every test first.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME docpipe)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "The Docpipe developers")
set(CPACK_PACKAGE_CONTACT "The Docpipe developers <docpipe@example.org>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # docpipe_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://example.org/docpipe")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "document ingestion console and engine")
string(CONCAT CPACK_DEBIAN_PACKAGE_DESCRIPTION
       "Docpipe turns documents (PDF, DOCX, HTML, Markdown, text, and scanned\n"
       "pages and images through OCR) into stored, embedded chunks for\n"
       "retrieval, and lets an operator watch and steer every\n"
       "step in a desktop window (docpipe) or run workers headless (docpipe-cli),\n"
       "on SQLite or on a PostgreSQL database shared by several machines.\n\n"
       "The package ships a systemd unit for workers with a health probe,\n"
       "Prometheus alerting rules and an example configuration.")
# Libraries from the binaries (dpkg-shlibdeps), and what Qt loads at run time that no binary
# links: the SQL drivers, the SVG icon engine, Qt's own translations; curl for the health probe;
# Tesseract's English model for OCR (other languages: tesseract-ocr-<lang>).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6sql6-sqlite, libqt6sql6-psql, libqt6svg6, qt6-translations-l10n, curl, tesseract-ocr-eng")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-wayland, poppler-data, libsecret-1-0, gnome-keyring")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "postgresql, prometheus, prometheus-alertmanager")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${DOCPIPE_DEB_DIR}/conffiles ${DOCPIPE_DEB_DIR}/postinst ${DOCPIPE_DEB_DIR}/prerm ${DOCPIPE_DEB_DIR}/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
include(CPack)
