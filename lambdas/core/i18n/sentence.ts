/**
 * The first letter in upper case, in the language's rules: a sentence that starts with an inserted name
 * ("Your TV app asks to sign in"). Small and free of imports: the page scripts bundle it.
 */
export const capitalized = (text: string, locale: string): string => text.charAt(0).toLocaleUpperCase(locale) + text.slice(1);
