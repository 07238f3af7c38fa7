# Install rules for the files under packaging/ and the CPack configuration, in one place.
# Included from the top-level CMakeLists.txt after the targets (their install() rules name the components).
#
#   cmake --build build --target package      ->  build/salesbot-engine_<version>-1_<arch>.deb
#                                                  build/salesbot-console_<version>-1_<arch>.deb
#
# Components: `engine` (daemon, systemd unit, environment template) and `console` (GUI, .desktop, icon);
# one Debian package each. Runtime library dependencies come from dpkg-shlibdeps (package dpkg-dev);
# the Qt SQL driver plugins, which no binary links, are named by hand.

set(_packaging_dir ${CMAKE_CURRENT_LIST_DIR})

# --- engine -----------------------------------------------------------------------------------------
# The unit names /usr/bin/salesbot-engine; installed under another prefix it is rewritten at install time
# (CPack installs with the prefix /usr, so the packaged unit is the file as it is in the repository).
set(_unit_out ${PROJECT_BINARY_DIR}/packaging/salesbot-engine.service)
install(CODE "
    file(READ \"${_packaging_dir}/salesbot-engine.service\" _unit)
    string(REPLACE \"/usr/bin/salesbot-engine\" \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/salesbot-engine\" _unit \"\${_unit}\")
    file(WRITE \"${_unit_out}\" \"\${_unit}\")
" COMPONENT engine)
# lib/systemd/system under the prefix: /usr/lib/systemd/system in the package (systemd reads it on Debian 12).
set(SALESBOT_SYSTEMD_UNIT_DIR "lib/systemd/system" CACHE STRING
    "Where the engine's systemd unit is installed (relative: under the install prefix)")
install(FILES ${_unit_out} DESTINATION ${SALESBOT_SYSTEMD_UNIT_DIR} COMPONENT engine)
install(FILES ${_packaging_dir}/engine.env.example
    DESTINATION ${CMAKE_INSTALL_DATADIR}/salesbot-engine COMPONENT engine)
install(FILES ${PROJECT_SOURCE_DIR}/README.md
    DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/salesbot-engine COMPONENT engine)

# --- console ----------------------------------------------------------------------------------------
if(SALESBOT_BUILD_CONSOLE)
    install(FILES ${_packaging_dir}/salesbot-console.desktop
        DESTINATION ${CMAKE_INSTALL_DATADIR}/applications COMPONENT console)
    install(FILES ${_packaging_dir}/salesbot-console.svg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps COMPONENT console)
endif()

# --- CPack ------------------------------------------------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME salesbot)
set(CPACK_PACKAGE_VENDOR "salesbot")
set(CPACK_PACKAGE_CONTACT "salesbot maintainers <maintainers@salesbot.invalid>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
# CPack's own default summary: CPackDeb then prepends nothing, so each package's description below starts
# with its own summary line.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${CMAKE_PROJECT_NAME} built using CMake")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)

set(CPACK_COMPONENTS_ALL engine)
if(SALESBOT_BUILD_CONSOLE)
    list(APPEND CPACK_COMPONENTS_ALL console)
endif()
set(CPACK_COMPONENT_ENGINE_DISPLAY_NAME "salesbot engine")
set(CPACK_COMPONENT_CONSOLE_DISPLAY_NAME "salesbot console")

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_ENGINE_PACKAGE_NAME salesbot-engine)
set(CPACK_DEBIAN_ENGINE_PACKAGE_SECTION net)
# Added to what dpkg-shlibdeps finds: the SQL driver plugins and the CA certificates for https.
set(CPACK_DEBIAN_ENGINE_PACKAGE_DEPENDS "libqt6sql6-psql, libqt6sql6-sqlite, ca-certificates")
set(CPACK_DEBIAN_ENGINE_PACKAGE_SUGGESTS "postgresql")
set(CPACK_DEBIAN_ENGINE_DESCRIPTION "Telegram sales bot engine (headless daemon and admin CLI)
salesbot-engine runs the Telegram sales bot: service catalog, application
form and status, manager notifications, a rate-limited outbox. Its data
lives in PostgreSQL (a second engine waits as a hot standby) or in an
embedded SQLite file. A hardened systemd unit is included; configure it
in /etc/salesbot/engine.env.")
set(CPACK_DEBIAN_ENGINE_PACKAGE_CONTROL_EXTRA
    ${_packaging_dir}/deb/engine/postinst
    ${_packaging_dir}/deb/engine/prerm
    ${_packaging_dir}/deb/engine/postrm)

set(CPACK_DEBIAN_CONSOLE_PACKAGE_NAME salesbot-console)
set(CPACK_DEBIAN_CONSOLE_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_CONSOLE_PACKAGE_DEPENDS "libqt6sql6-psql, libqt6sql6-sqlite")
# Qt's own dialog buttons in Russian; a secret service for the keychain (else passwords last a session).
set(CPACK_DEBIAN_CONSOLE_PACKAGE_RECOMMENDS "qt6-translations-l10n, gnome-keyring | kwalletmanager")
set(CPACK_DEBIAN_CONSOLE_DESCRIPTION "Operator console for the salesbot Telegram sales bot
salesbot-console is the Qt desktop application sales managers work the
bot's applications from: search, status and notes with optimistic
locking, dashboard charts, users and activity, the catalog, and live
updates over PostgreSQL notifications. Passwords are kept in the OS
keychain.")

include(CPack)
