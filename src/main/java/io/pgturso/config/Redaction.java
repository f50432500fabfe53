package io.pgturso.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Removes credentials from URLs and messages before they are printed. */
public final class Redaction {
    /** A URL's scheme and everything up to its last {@code @}: a password may hold {@code / ? # @}, so no other end is safe. */
    private static final Pattern USER_INFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)(.*)@", Pattern.DOTALL);
    /** The same within a text: a URL ends at white space or a quote. */
    private static final Pattern USER_INFO_IN_TEXT = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)([^\\s'\"]*)@");
    /** A user name that can be shown: the part before the first {@code :} when nothing in it could be a password's. */
    private static final Pattern PLAIN_USER = Pattern.compile("[A-Za-z0-9._~%!$&*+,;=-]+");
    private static final Pattern SECRET_PARAMS =
            Pattern.compile("(?i)((?:password|authToken|auth_token|token|sslpassword)=)[^&;\\s]*");

    private Redaction() {
    }

    /** The URL with any password and token replaced by {@code ***}. */
    public static String url(String url) {
        return url == null ? null : secretParams(userInfo(USER_INFO, url));
    }

    /** The text with the user-info of every URL in it, and each given secret, replaced by {@code ***}. */
    public static String text(String text, String... secrets) {
        if (text == null) {
            return null;
        }
        String out = secretParams(userInfo(USER_INFO_IN_TEXT, text));
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 4) {
                out = out.replace(secret, "***");
            }
        }
        return out;
    }

    private static String userInfo(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + hidden(m.group(2)) + "@"));
        }
        return m.appendTail(out).toString();
    }

    /** {@code user:***} when the user name is plain, else {@code ***}; a plain user without password stays. */
    private static String hidden(String userInfo) {
        int colon = userInfo.indexOf(':');
        String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
        if (!PLAIN_USER.matcher(user).matches()) {
            return "***";
        }
        return colon < 0 ? user : user + ":***";
    }

    private static String secretParams(String text) {
        return SECRET_PARAMS.matcher(text).replaceAll("$1***");
    }
}
