"""Demo client: polls the service every 50 ms and prints '<unix ms> <node|down>' on each poll."""
import socket
import sys
import time

host, port, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
deadline = time.time() + seconds
request = f"GET / HTTP/1.0\r\nHost: {host}\r\n\r\n".encode()
while time.time() < deadline:
    answer = "down"
    try:
        with socket.create_connection((host, port), timeout=0.2) as s:
            s.settimeout(0.3)
            s.sendall(request)
            data = b""
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
            answer = data.split(b"\r\n\r\n", 1)[-1].decode().strip() or "down"
    except OSError:
        pass
    print(f"{int(time.time() * 1000)} {answer}", flush=True)
    time.sleep(0.05)
