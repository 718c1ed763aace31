/** What a command's action reports back to main (commander actions cannot return an exit code). */
export interface CommandResult {
  code: number;
}
