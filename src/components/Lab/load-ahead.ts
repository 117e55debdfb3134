/** How far beyond the viewport (above or below) a lab starts loading: the Lab component's margin, and the tests'. */
export const LOAD_AHEAD_PX = 400;
