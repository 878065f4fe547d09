using System;
using System.Buffers;

namespace AgentGuard;

/// <content>The buffer the canonical JSON is written into, rented per thread so keying a call allocates nothing.</content>
internal static partial class CanonicalJson
{
    /// <summary>A <see cref="ByteBufferWriter"/> kept per thread and handed out one caller at a time.</summary>
    internal sealed class PooledWriter
    {
        [ThreadStatic]
        private static PooledWriter? cached;

        private PooledWriter()
        {
            Buffer = new ByteBufferWriter(256);
        }

        public ByteBufferWriter Buffer { get; }

        public static PooledWriter Rent()
        {
            var writer = cached ?? new PooledWriter();
            cached = null;
            writer.Buffer.Clear();
            return writer;
        }

        public static void Return(PooledWriter writer)
        {
            if (writer.Buffer.Capacity > 64 * 1024)
            {
                return;
            }

            writer.Buffer.Clear();
            cached = writer;
        }
    }

    /// <summary>A growable byte buffer the writer fills; reused per thread.</summary>
    internal sealed class ByteBufferWriter : IBufferWriter<byte>
    {
        private byte[] buffer;
        private int written;

        public ByteBufferWriter(int initialCapacity)
        {
            buffer = new byte[initialCapacity];
        }

        public int Capacity => buffer.Length;

        public ReadOnlySpan<byte> WrittenSpan => buffer.AsSpan(0, written);

        public void Clear() => written = 0;

        public void Advance(int count) => written += count;

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            Ensure(sizeHint);
            return buffer.AsMemory(written);
        }

        public Span<byte> GetSpan(int sizeHint = 0)
        {
            Ensure(sizeHint);
            return buffer.AsSpan(written);
        }

        private void Ensure(int sizeHint)
        {
            var needed = written + Math.Max(sizeHint, 1);
            if (needed > buffer.Length)
            {
                Array.Resize(ref buffer, Math.Max(needed, buffer.Length * 2));
            }
        }
    }
}
