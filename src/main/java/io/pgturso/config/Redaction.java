package io.pgturso.config;

import java.util.regex.Pattern;

/** Removes credentials from URLs and messages before they are printed. */
public final class Redaction {
    private static final Pattern USER_INFO = Pattern.compile("(//[^/@:?#]*):[^@/?#]*@");
    private static final Pattern SECRET_PARAMS =
            Pattern.compile("(?i)((?:password|authToken|auth_token|token|sslpassword)=)[^&;\\s]*");

    private Redaction() {
    }

    /** The URL with any password and token replaced by {@code ***}. */
    public static String url(String url) {
        if (url == null) {
            return null;
        }
        String noUserInfo = USER_INFO.matcher(url).replaceAll("$1:***@");
        return SECRET_PARAMS.matcher(noUserInfo).replaceAll("$1***");
    }

    /** The text with each given secret replaced by {@code ***}. */
    public static String text(String text, String... secrets) {
        if (text == null) {
            return null;
        }
        String out = url(text);
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 4) {
                out = out.replace(secret, "***");
            }
        }
        return out;
    }
}
