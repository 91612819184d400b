from chalice import Chalice
from phananh.settings import intake_queue_name

app = Chalice(app_name="phananh-route")


@app.on_sqs_message(queue=intake_queue_name(), batch_size=10)
def handle_intake(event):
    return None
