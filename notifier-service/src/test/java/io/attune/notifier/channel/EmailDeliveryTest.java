package io.attune.notifier.channel;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import io.attune.core.identity.GroupRepository;
import io.attune.core.identity.Identity;
import io.attune.core.identity.Role;
import io.attune.core.inquiry.Inquiry;
import io.attune.core.link.LinkAnswers;
import io.attune.core.link.SignedLinks;
import io.attune.model.InquiryStatus;
import io.attune.model.json.Json;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Email channels against a real SMTP server (GreenMail) with a login, as ATTUNE_SMTP_URL configures it. */
@TestPropertySource(properties = {"attune.channels.poll-interval=100ms", "attune.channels.retry-initial=200ms",
        "attune.channels.retry-max=1s", "attune.public-url=https://attune.example.com",
        "attune.channels.mail-from=Attune <attune@example.com>"})
class EmailDeliveryTest extends ChannelTestSupport {
    private static final Pattern RESPOND = Pattern.compile("https://attune\\.example\\.com/a/([A-Za-z0-9_-]{43})");
    private static GreenMail smtp;

    @Autowired
    LinkAnswers linkAnswers;
    @Autowired
    SignedLinks signedLinks;
    @Autowired
    GroupRepository groups;

    @DynamicPropertySource
    static void smtp(DynamicPropertyRegistry registry) {
        smtp = startSmtp();
        registry.add("attune.channels.smtp-url", () -> smtpUrl(smtp));
    }

    @AfterAll
    static void stopSmtp() {
        smtp.stop();
    }

    private long emailChannel() {
        return channels.create("email", "mail-" + java.util.UUID.randomUUID(),
                Json.tree("{\"subject_prefix\": \"[Attune]\"}"), Json.object(), true, null);
    }

    private List<MimeMessage> to(String address) {
        return received(smtp, address);
    }

    /** The text/plain and text/html parts, wherever they sit in the message's multiparts. */
    private static Map<String, String> bodies(MimeMessage message) throws Exception {
        Map<String, String> found = new java.util.HashMap<>();
        collect(message.getContent(), found);
        return found;
    }

    private static void collect(Object content, Map<String, String> found) throws Exception {
        if (content instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart part = multipart.getBodyPart(i);
                if (part.isMimeType("text/plain")) {
                    found.put("text", (String) part.getContent());
                } else if (part.isMimeType("text/html")) {
                    found.put("html", (String) part.getContent());
                } else {
                    collect(part.getContent(), found);
                }
            }
        }
    }

    @Test
    void theApproverGetsOneMessageWithPromptContextAndAWorkingSignedLink() throws Exception {
        String address = "ada-" + System.nanoTime() + "@example.com";
        Identity ada = withEmail(address);
        long channel = emailChannel();
        Inquiry inquiry = openWithSecret(ada.id(), "Deploy billing-api 2.5.0 to production?");

        await().atMost(WAIT).until(() -> to(address).size() == 1);
        MimeMessage created = to(address).get(0);
        assertThat(created.getFrom()[0].toString()).isEqualTo("Attune <attune@example.com>");
        assertThat(created.getSubject()).isEqualTo("[Attune] Approval needed: Deploy billing-api 2.5.0 to production?");
        Map<String, String> bodies = bodies(created);
        String text = bodies.get("text");
        String html = bodies.get("html");
        assertThat(text).contains("Deploy billing-api 2.5.0 to production?", "Deployment plan", "billing-api",
                "drain", "Open it in Attune: https://attune.example.com/#/inquiries/" + inquiry.id());
        assertThat(html).contains("Deploy billing-api 2.5.0 to production?", "<th", "Deployment plan", "billing-api",
                "href=\"https://attune.example.com/#/inquiries/" + inquiry.id() + "\"");
        Matcher inText = RESPOND.matcher(text);
        assertThat(inText.find()).isTrue();
        assertThat(html).contains("href=\"" + inText.group() + "\"");

        // the link answers as ada, once
        Inquiry answered = linkAnswers.answer(inText.group(1),
                Json.tree("{\"approved\": true, \"token\": \"mail-secret-77\"}"), null);
        assertThat(answered.status()).isEqualTo(InquiryStatus.RESPONDED);
        assertThat(answered.respondedBy()).isEqualTo(ada.id());

        await().atMost(WAIT).until(() -> to(address).size() == 2);
        MimeMessage responded = to(address).get(1);
        assertThat(responded.getSubject()).startsWith("[Attune] Answered: ");
        String all = GreenMailUtil.getWholeMessage(responded);
        assertThat(all).doesNotContain("mail-secret-77").contains("********");
        assertThat(bodies(responded).get("text")).doesNotContain("/a/");

        await().atMost(WAIT).until(() -> deliveries(channel).stream().allMatch(r -> "delivered".equals(r.get("status"))));
        assertThat(deliveries(channel)).hasSize(2).extracting(r -> r.get("recipient")).containsOnly(address);
    }

    @Test
    void eachMemberOfAnAssignedGroupGetsAMessageWithALinkBoundToThem() throws Exception {
        String adaAddress = "ada-" + System.nanoTime() + "@example.com";
        String bobAddress = "bob-" + System.nanoTime() + "@example.com";
        String cydAddress = "cyd-" + System.nanoTime() + "@example.com";
        Identity ada = withEmail(adaAddress);
        Identity bob = withEmail(bobAddress);
        withEmail(cydAddress);  // not in the group
        String sre = "sre-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        groups.replaceMembers(groups.create(sre), List.of(ada.id(), bob.id()));
        long channel = emailChannel();
        Inquiry inquiry = openChecked("{\"prompt\": \"Rotate the signing keys?\", \"assigned_to\": {\"group\": \""
                + sre + "\"}}");

        await().atMost(WAIT).until(() -> to(adaAddress).size() == 1 && to(bobAddress).size() == 1);
        for (Identity member : List.of(ada, bob)) {
            String address = member == ada ? adaAddress : bobAddress;
            MimeMessage message = to(address).get(0);
            assertThat(message.getAllRecipients()).hasSize(1);
            assertThat(message.getSubject()).isEqualTo("[Attune] Approval needed: Rotate the signing keys?");
            Matcher link = RESPOND.matcher(bodies(message).get("text"));
            assertThat(link.find()).as(address).isTrue();
            SignedLinks.Link bound = signedLinks.find(link.group(1)).orElseThrow();
            assertThat(bound.inquiry()).isEqualTo(inquiry.id());
            assertThat(bound.identity()).as(address).isEqualTo(member.id());
        }
        await().atMost(WAIT).until(() -> deliveries(channel).stream().allMatch(r -> "delivered".equals(r.get("status"))));
        assertThat(deliveries(channel)).extracting(r -> r.get("recipient"))
                .containsExactlyInAnyOrder(adaAddress, bobAddress);
        assertThat(to(cydAddress)).isEmpty();
    }

    @Test
    void anInquiryWithoutAnApproverToEmailIsKeptAsNotSentWithTheReason() {
        Identity bob = identity(Role.USER);
        long channel = emailChannel();
        open(null, "Nobody named?");
        open(bob.id(), "Bob has no email?");
        await().atMost(WAIT).until(() -> deliveries(channel).size() == 2);
        assertThat(deliveries(channel)).extracting(r -> r.get("status")).containsOnly("not_sent");
        assertThat(deliveries(channel)).extracting(r -> r.get("last_error")).containsExactly(
                "the inquiry names no approver to email", "no approver of the inquiry has an email attribute");
    }

    @Test
    void markupInThePromptIsEscapedInTheHtml() throws Exception {
        String address = "eve-" + System.nanoTime() + "@example.com";
        Identity eve = withEmail(address);
        emailChannel();
        open(eve.id(), "Approve <script>alert(1)</script> & more?");
        await().atMost(WAIT).until(() -> to(address).size() == 1);
        String html = bodies(to(address).get(0)).get("html");
        assertThat(html).contains("Approve &lt;script&gt;alert(1)&lt;/script&gt; &amp; more?")
                .doesNotContain("<script>");
    }
}
