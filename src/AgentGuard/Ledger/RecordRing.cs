using System;

namespace AgentGuard;

/// <summary>
/// The most recent records, at most <see cref="Capacity"/>: the storage grows by doubling up to the capacity, then
/// the oldest record is overwritten. Adding allocates nothing once the capacity is reached. Not thread-safe: the
/// ledger holds its lock.
/// </summary>
internal sealed class RecordRing<T>
{
    private T[] items;
    private int start;
    private int count;

    public RecordRing(int capacity)
    {
        if (capacity < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "The history capacity cannot be negative.");
        }

        Capacity = capacity;
        items = new T[Math.Min(capacity, 8)];
    }

    public int Capacity { get; }

    public int Count => count;

    public void Add(in T item)
    {
        if (Capacity == 0)
        {
            return;
        }

        if (count < items.Length)
        {
            // Not yet wrapped: start is 0 and the records are in order.
            items[count++] = item;
            return;
        }

        if (items.Length < Capacity)
        {
            Array.Resize(ref items, (int)Math.Min((long)items.Length * 2, Capacity));
            items[count++] = item;
            return;
        }

        items[start] = item;
        start = start + 1 == items.Length ? 0 : start + 1;
    }

    /// <summary>The records, oldest first.</summary>
    public T[] ToArray()
    {
        var copy = new T[count];
        var head = Math.Min(count, items.Length - start);
        Array.Copy(items, start, copy, 0, head);
        Array.Copy(items, 0, copy, head, count - head);
        return copy;
    }

    public void Clear()
    {
        Array.Clear(items, 0, items.Length);
        start = 0;
        count = 0;
    }
}
