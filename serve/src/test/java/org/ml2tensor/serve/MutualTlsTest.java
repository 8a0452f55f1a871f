package org.ml2tensor.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.ml2tensor.serve.grpc.v2.GRPCInferenceServiceGrpc;
import org.ml2tensor.serve.grpc.v2.ModelMetadataRequest;

/**
 * Mutual TLS on both sides with certificates made by the openssl command (skipped where it is absent): a
 * client with a certificate from the trusted CA is served; one without a certificate is refused.
 */
class MutualTlsTest {
    @TempDir
    Path tmp;

    private void openssl(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "openssl " + String.join(" ", args) + ":\n" + out);
    }

    private static boolean opensslPresent() {
        try {
            return new ProcessBuilder("openssl", "version").start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private void certificates() throws Exception {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "1",
                "-subj", "/CN=ml2tensor-test-ca");
        Files.writeString(tmp.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        for (String who : List.of("server", "client")) {
            openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", who + ".key", "-out", who + ".csr", "-subj",
                    "/CN=" + who);
            openssl("x509", "-req", "-in", who + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                    "-out", who + ".pem", "-days", "1", "-extfile", "san.ext");
        }
        openssl("pkcs12", "-export", "-in", "client.pem", "-inkey", "client.key", "-out", "client.p12",
                "-passout", "pass:pw");
    }

    private SSLContext clientContext(boolean withCertificate) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(tmp.resolve("ca.pem"))) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        if (withCertificate) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(tmp.resolve("client.p12"))) {
                keys.load(in, "pw".toCharArray());
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, "pw".toCharArray());
            ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        } else {
            ctx.init(null, tmf.getTrustManagers(), null);
        }
        return ctx;
    }

    @Test
    void clientCertificateIsRequiredOnRestAndGrpc() throws Exception {
        assumeTrue(opensslPresent(), "openssl is not installed");
        certificates();
        Path models = Files.createDirectories(tmp.resolve("m"));
        Files.copy(Fixtures.IRIS.resolve("model.pkl"), models.resolve("iris.pkl"));
        ServeConfig c = Fixtures.config(models).withWatch(false).withTls(new ServeConfig.Tls(tmp.resolve("server.pem"),
                tmp.resolve("server.key"), Optional.of(tmp.resolve("ca.pem"))));
        try (ModelServer server = Fixtures.start(c)) {
            URI uri = URI.create("https://127.0.0.1:" + server.httpPort() + "/v2/models/iris");
            HttpClient trusted = HttpClient.newBuilder().sslContext(clientContext(true)).build();
            HttpResponse<String> ok = trusted.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode(), ok.body());
            HttpClient anonymous = HttpClient.newBuilder().sslContext(clientContext(false)).build();
            assertThrows(java.io.IOException.class, () -> anonymous.send(HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()));

            ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort())
                    .sslContext(GrpcSslContexts.forClient().trustManager(tmp.resolve("ca.pem").toFile())
                            .keyManager(tmp.resolve("client.pem").toFile(), tmp.resolve("client.key").toFile()).build())
                    .build();
            try {
                assertEquals("iris", GRPCInferenceServiceGrpc.newBlockingStub(ch).withDeadlineAfter(20, TimeUnit.SECONDS)
                        .modelMetadata(ModelMetadataRequest.newBuilder().setName("iris").build()).getName());
            } finally {
                ch.shutdownNow();
            }
            ManagedChannel noCert = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort())
                    .sslContext(GrpcSslContexts.forClient().trustManager(tmp.resolve("ca.pem").toFile()).build()).build();
            try {
                assertThrows(io.grpc.StatusRuntimeException.class, () -> GRPCInferenceServiceGrpc.newBlockingStub(noCert)
                        .withDeadlineAfter(20, TimeUnit.SECONDS)
                        .modelMetadata(ModelMetadataRequest.newBuilder().setName("iris").build()));
            } finally {
                noCert.shutdownNow();
            }
        }
    }
}
