package dev.gantry.proxy.grpc.grpcjava;

import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * What a request to the {@link TestService} asks for, as the interop test messages do: responses of given
 * sizes (a pause before each), a final status, and a payload of zeros to carry. Encoded as plain bytes: the
 * proxy sees gRPC messages, never their schema.
 */
record Ask(int[] responseSizes, int pauseMillis, int statusCode, String statusMessage, int payloadSize) {

  static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream in) {
      try {
        return in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  static Ask sizes(int payloadSize, int... responseSizes) {
    return new Ask(responseSizes, 0, 0, "", payloadSize);
  }

  static Ask status(int code, String message) {
    return new Ask(new int[0], 0, code, message, 0);
  }

  Ask pausing(int millis) {
    return new Ask(responseSizes, millis, statusCode, statusMessage, payloadSize);
  }

  byte[] encode() {
    ByteArrayOutputStream b = new ByteArrayOutputStream(32 + payloadSize);
    try (DataOutputStream out = new DataOutputStream(b)) {
      out.writeInt(responseSizes.length);
      for (int s : responseSizes) {
        out.writeInt(s);
      }
      out.writeInt(pauseMillis);
      out.writeInt(statusCode);
      out.writeUTF(statusMessage);
      out.writeInt(payloadSize);
      out.write(new byte[payloadSize]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return b.toByteArray();
  }

  static Ask decode(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      int[] sizes = new int[in.readInt()];
      for (int i = 0; i < sizes.length; i++) {
        sizes[i] = in.readInt();
      }
      int pause = in.readInt();
      int code = in.readInt();
      String message = in.readUTF();
      int payload = in.readInt();
      if (in.skipBytes(payload) != payload) {
        throw new IOException("payload shorter than announced");
      }
      return new Ask(sizes, pause, code, message, payload);
    } catch (IOException e) {
      throw new IllegalArgumentException("not an Ask", e);
    }
  }
}
