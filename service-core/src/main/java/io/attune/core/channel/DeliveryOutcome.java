package io.attune.core.channel;

/**
 * What one try of a delivery came to.
 *
 * @param result       delivered, retry (a failure worth another try: non-2xx, no answer in time), failed (one that
 *                     no retry can fix), or not sent (there is nothing to send it to: no recipient address, a disabled channel)
 * @param responseCode the far end's status code, when it answered
 * @param error        why it was not delivered, for the delivery log (never a secret)
 */
public record DeliveryOutcome(Result result, Integer responseCode, String error) {

    public enum Result { DELIVERED, RETRY, FAILED, NOT_SENT }

    public static DeliveryOutcome delivered(Integer responseCode) {
        return new DeliveryOutcome(Result.DELIVERED, responseCode, null);
    }

    public static DeliveryOutcome retry(Integer responseCode, String error) {
        return new DeliveryOutcome(Result.RETRY, responseCode, error);
    }

    public static DeliveryOutcome failed(Integer responseCode, String error) {
        return new DeliveryOutcome(Result.FAILED, responseCode, error);
    }

    public static DeliveryOutcome notSent(String reason) {
        return new DeliveryOutcome(Result.NOT_SENT, null, reason);
    }
}
