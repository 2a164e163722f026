# kneetriage(1) and the bash/zsh/fish completions, written by the program itself from its help
# and the built-in rules (`kneetriage --man`, `kneetriage completions SHELL`), so they cannot
# drift from it. Built by the default target (`all`), not by `--target kneetriage`.
set(kneetriage_generated ${CMAKE_BINARY_DIR}/share)
add_custom_command(
  OUTPUT ${kneetriage_generated}/man/man1/kneetriage.1
         ${kneetriage_generated}/bash-completion/completions/kneetriage
         ${kneetriage_generated}/zsh/site-functions/_kneetriage
         ${kneetriage_generated}/fish/vendor_completions.d/kneetriage.fish
  COMMAND ${CMAKE_COMMAND} -E make_directory ${kneetriage_generated}/man/man1
          ${kneetriage_generated}/bash-completion/completions
          ${kneetriage_generated}/zsh/site-functions
          ${kneetriage_generated}/fish/vendor_completions.d
  COMMAND ${CMAKE_COMMAND} -E env --unset=KNEETRIAGE_RULES $<TARGET_FILE:kneetriage> --man
          > ${kneetriage_generated}/man/man1/kneetriage.1
  COMMAND ${CMAKE_COMMAND} -E env --unset=KNEETRIAGE_RULES $<TARGET_FILE:kneetriage>
          completions bash > ${kneetriage_generated}/bash-completion/completions/kneetriage
  COMMAND ${CMAKE_COMMAND} -E env --unset=KNEETRIAGE_RULES $<TARGET_FILE:kneetriage>
          completions zsh > ${kneetriage_generated}/zsh/site-functions/_kneetriage
  COMMAND ${CMAKE_COMMAND} -E env --unset=KNEETRIAGE_RULES $<TARGET_FILE:kneetriage>
          completions fish > ${kneetriage_generated}/fish/vendor_completions.d/kneetriage.fish
  DEPENDS kneetriage
  COMMENT "Writing kneetriage(1) and the shell completions"
  VERBATIM)
add_custom_target(kneetriage_docs ALL
  DEPENDS ${kneetriage_generated}/man/man1/kneetriage.1
          ${kneetriage_generated}/bash-completion/completions/kneetriage
          ${kneetriage_generated}/zsh/site-functions/_kneetriage
          ${kneetriage_generated}/fish/vendor_completions.d/kneetriage.fish)
install(FILES ${kneetriage_generated}/man/man1/kneetriage.1
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${kneetriage_generated}/bash-completion/completions/kneetriage
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
install(FILES ${kneetriage_generated}/zsh/site-functions/_kneetriage
        DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/site-functions)
install(FILES ${kneetriage_generated}/fish/vendor_completions.d/kneetriage.fish
        DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)
