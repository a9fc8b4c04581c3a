// A module that exists on the test class path only and is listed nowhere: UiFilesTest fetches it to show that any
// new file under ui/ is served.
export const probe = 'served';
