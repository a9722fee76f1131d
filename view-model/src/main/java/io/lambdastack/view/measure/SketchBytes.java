package io.lambdastack.view.measure;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** Length-prefixed sketch bytes, for the binary codec and for Java serialization of sketch states. */
final class SketchBytes {
  private SketchBytes() {}

  static void write(DataOutput out, byte[] bytes) throws IOException {
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  static byte[] read(DataInput in) throws IOException {
    byte[] bytes = new byte[in.readInt()];
    in.readFully(bytes);
    return bytes;
  }
}
