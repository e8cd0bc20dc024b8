# docpipe_add_test(NAME tst_foo SOURCES tst_foo.cpp [LIBS ...] [TIMEOUT s] [LABELS ...])
# One executable per test class, registered with ctest (Qt's own test layout).
function(docpipe_add_test)
    cmake_parse_arguments(ARG "" "NAME;TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
    qt_add_executable(${ARG_NAME} ${ARG_SOURCES})
    target_link_libraries(${ARG_NAME} PRIVATE docpipe_common_cfg Docpipe::TestSupport Qt6::Test ${ARG_LIBS})
    add_test(NAME ${ARG_NAME} COMMAND ${ARG_NAME})
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT 300)
    endif()
    set_tests_properties(${ARG_NAME} PROPERTIES
        TIMEOUT ${ARG_TIMEOUT}
        LABELS "${ARG_LABELS}"
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;DOCPIPE_CLI=$<TARGET_FILE:docpipe-cli>")
endfunction()
