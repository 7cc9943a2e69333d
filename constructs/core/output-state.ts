/** Where idpkit keeps its state in a cdktf.out: apart from the output's reader (synthesized-output.ts), so publishing loads none of its schemas. */

/**
 * The directory inside a cdktf.out where idpkit's publish keeps the output's generations, the
 * `current` link and the lock (stacks/publish.ts); the top-level entries link into it. Walkers of
 * a cdktf.out skip it and follow the links.
 */
export const OUTPUT_STATE_DIRECTORY = '.idpkit';
